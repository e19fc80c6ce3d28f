import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "./fixtures";
import { aCreatesRoomBJoins, RoomsPage } from "./pages/rooms";

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

test("public rooms: A creates a room, B sees it appear live, previews and joins; the counts follow joins and leaves", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  const name = `Study hall ${Date.now().toString(36)}`;
  const { aRooms, bRooms } = await aCreatesRoomBJoins(ana, ben, { name, topic: "Quiet work, together", said: "Welcome, everyone" });

  // Messages flow both ways once Ben is a member.
  await ben.chat.send("Glad to be here");
  await expect(ana.chat.message("Glad to be here")).toBeVisible({ timeout: 3_000 });

  // Ana's directory shows the room as joined, with the live count.
  const directory = await aRooms.openDirectory();
  await expect(aRooms.row(name)).toContainText("Joined");
  await expect(aRooms.row(name)).toContainText("2 members");
  const { violations } = await new AxeBuilder({ page: ana.chat.page }).withTags(AXE_TAGS).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // Ben leaves: the count drops to 1 for Ana, live, in her open directory, and she sees the note.
  await bRooms.leave();
  await expect(ben.chat.conversation(name)).toHaveCount(0, { timeout: 3_000 });
  await expect(aRooms.row(name)).toContainText("1 member", { timeout: 3_000 });
  await directory.getByRole("button", { name: "Close" }).click();
  await expect(ana.chat.systemMessage(`${ben.name} left`)).toBeVisible({ timeout: 3_000 });
  await expect(aRooms.headerCount).toHaveText("1 member");
});

test("rooms: the owner archives a room, which leaves the directory and turns read-only (on a dark phone)", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben", { viewport: { width: 390, height: 844 }, colorScheme: "dark" });
  const name = `Archive me ${Date.now().toString(36)}`;
  const { aRooms, bRooms } = await aCreatesRoomBJoins(ana, ben, { name, topic: "Short-lived", said: "Soon archived" });
  // The room's screen on a dark phone passes axe too.
  const axeDark = await new AxeBuilder({ page: ben.chat.page }).withTags(AXE_TAGS).analyze();
  expect(axeDark.violations.map((v) => v.id)).toEqual([]);
  const panel = await aRooms.details();
  await panel.getByRole("button", { name: "Archive room" }).click();
  await expect(ben.chat.page.getByText("This room is archived: it is read-only.")).toBeVisible({ timeout: 3_000 });
  await expect(ben.chat.page.getByRole("textbox", { name: /^Message\b/ })).toHaveCount(0);
  // One pane on a phone: back to the list, where the directory opens.
  await ben.chat.page.getByRole("button", { name: "Back to conversations" }).click();
  await bRooms.openDirectory();
  await expect(bRooms.row(name)).toHaveCount(0);
  const { violations } = await new AxeBuilder({ page: ben.chat.page }).withTags(AXE_TAGS).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

test("rooms: a private room stays out of the directory, and its owner adds people to it", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  const aRooms = new RoomsPage(ana.chat.page);
  const bRooms = new RoomsPage(ben.chat.page);
  const name = `Private den ${Date.now().toString(36)}`;
  await aRooms.create(name, "Invitation only", { isPublic: false });
  await bRooms.openDirectory();
  await bRooms.directory.getByLabel("Search rooms").fill("private den");
  await expect(bRooms.directory.getByText(/No room matches/)).toBeVisible();
  const panel = await aRooms.details();
  await panel.getByLabel("Add people").fill(ben.name);
  await panel.getByRole("button", { name: `Add ${ben.name} to the room` }).click();
  await expect(ben.chat.conversation(name)).toBeVisible({ timeout: 3_000 });
  await expect(aRooms.headerCount).toHaveText("2 members", { timeout: 3_000 });
});
