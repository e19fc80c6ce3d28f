// Issue 16's scenario, its search half: what was said in a public room is found by its members
// only — not by someone who has only seen the room in the directory, and no longer by someone who
// left it.
import { expect, test } from "./fixtures";
import { aCreatesRoomBJoins, RoomsPage } from "./pages/rooms";
import { search, searchBox, searchFindsNothing } from "./pages/search";

test("search in a public room: C finds B's words only once C joins, and B no longer once B leaves", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  const cy = await signUp("Cy");
  const name = `Reading room ${Date.now().toString(36)}`;
  const { bRooms } = await aCreatesRoomBJoins(ana, ben, { name, topic: "Books and more", said: "Welcome in" });
  const word = `Zephyrine${Date.now().toString(36)}`;
  await ben.chat.send(`The ${word} reading list is up`);
  // A member finds it: the index holds it from here on.
  await search(ana, word.toLowerCase(), 1);

  // Cy has not joined: nothing, not even after previewing the room.
  await searchFindsNothing(cy, word);
  await searchBox(cy).press("Escape");
  await searchBox(cy).press("Escape");
  const cyRooms = new RoomsPage(cy.chat.page);
  await cyRooms.openDirectory();
  const preview = await cyRooms.preview(name);
  await expect(preview.getByText(`The ${word} reading list is up`)).toBeVisible();
  await cy.chat.page.keyboard.press("Escape");
  await expect(preview).toBeHidden();
  await searchFindsNothing(cy, word);

  // Cy joins: now it is found.
  await searchBox(cy).press("Escape");
  await searchBox(cy).press("Escape");
  await cyRooms.openDirectory();
  await (await cyRooms.preview(name)).getByRole("button", { name: "Join room" }).click();
  await expect(cy.chat.page.getByRole("heading", { level: 1, name })).toBeVisible();
  await search(cy, word, 1);

  // Ben finds his own words, leaves, and finds them no more.
  await search(ben, word, 1);
  await searchBox(ben).press("Escape");
  await searchBox(ben).press("Escape");
  await ben.chat.open(name);
  await bRooms.leave();
  await expect(ben.chat.conversation(name)).toHaveCount(0, { timeout: 3_000 });
  await searchFindsNothing(ben, word);
  // The others still do.
  await search(ana, word, 1);
});
