// The people search: two people of the same name can be told apart without their addresses being
// given away, and a search that finds no one says so, once it has finished.
import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

test("two people of the same name are told apart by a masked email, and the right one is messaged", async ({ signUp }) => {
  const tag = randomBytes(3).toString("hex");
  const name = `Ben ${tag}`;
  const ana = await signUp("Ana");
  // Same name, different addresses: one at work (north.test), one at home (south.test).
  const northBen = await signUp(name, { exactName: true, email: `ben.${tag}@north.test` });
  const southBen = await signUp(name, { exactName: true, email: `ben.${tag}@south.test` });
  const page = ana.chat.page;

  await page.getByLabel("Search people").fill(name);
  const found = page.getByRole("list", { name: "People found" }).getByRole("listitem");
  await expect(found).toHaveCount(2);
  await expect(page.getByText("2 people found")).toBeAttached();
  // Each row: the name, and the address masked: first and last letter, the domain's first letter.
  const hint = (domain: string) => `b•••${tag.at(-1)}@${domain[0]}•••.test`;
  const north = found.filter({ hasText: hint("north") });
  const south = found.filter({ hasText: hint("south") });
  await expect(north).toHaveCount(1);
  await expect(south).toHaveCount(1);
  await expect(north).toContainText(name);
  for (const ben of [northBen, southBen]) await expect(page.getByText(ben.email)).toHaveCount(0);
  // The button's name stays "Message <name>"; what tells them apart is its description.
  const messageSouth = south.getByRole("button", { name: `Message ${name}` });
  await expect(messageSouth).toHaveAccessibleDescription(hint("south"));

  await messageSouth.click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await ana.chat.send("Hi, the Ben from south?");
  await expect(southBen.chat.conversation(ana.name)).toBeVisible();
  await expect(northBen.chat.conversation(ana.name)).toHaveCount(0);

  // Typed in full, an address is shown in full: the searcher already knows it.
  await page.getByLabel("Search people").fill(northBen.email);
  await expect(found).toHaveCount(1);
  await expect(found).toContainText(northBen.email);
});

test("a search that finds no one says so only once it has finished, and says it is searching meanwhile", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const page = ana.chat.page;
  const query = `nobody-${randomBytes(3).toString("hex")}`;
  const status = page.getByTestId("people-search-status");

  // Hold the search's request until the test has looked at the page in the meantime.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const chatPages = (url: URL) => url.pathname.startsWith("/chat");
  await page.route(chatPages, async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"] && (request.postData() ?? "").includes(query)) await held;
    await route.fallback();
  });

  await page.getByLabel("Search people").fill(query);
  await expect(status).toHaveText("Searching…");
  // Longer than the search's pause: the request is out, its answer held, and no verdict is given.
  await page.waitForTimeout(600);
  await expect(status).toHaveText("Searching…");
  await expect(page.getByText(/No one matches/)).toHaveCount(0);

  release();
  await expect(status).toHaveText(`No one matches “${query}”`);
  await expect(page.getByRole("list", { name: "People found" })).toHaveCount(0);

  // Typing again: searching, not "no one", until the new answer.
  await page.getByLabel("Search people").pressSequentially("x");
  await expect(status).toHaveText(`No one matches “${query}x”`);
  await page.getByLabel("Search people").fill("");
  await expect(status).toHaveCount(0);
  await page.unroute(chatPages);
});
