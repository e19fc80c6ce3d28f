import { expect, test } from "./fixtures";

test("two people chat in a direct conversation, live and across reloads", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");

  await ana.chat.openDirect(ben.name);
  await ana.chat.send("Hi Ben, are you there?");
  await expect(ana.chat.message("Hi Ben, are you there?")).toBeVisible();

  // Ben has nothing open: the new conversation, its preview and an unread count arrive live.
  await expect(ben.chat.conversation(ana.name)).toContainText("Hi Ben, are you there?", { timeout: 1_000 });
  await expect(ben.chat.unreadBadge(ana.name)).toHaveText("1");

  await ben.chat.open(ana.name);
  await expect(ben.chat.message("Hi Ben, are you there?")).toBeVisible();
  await expect(ben.chat.unreadBadge(ana.name)).toHaveCount(0);
  // A direct conversation names no one on the bubbles; the message says who wrote it to screen readers.
  await expect(ben.chat.message("Hi Ben, are you there?").getByTestId("sender")).toHaveCount(0);
  await expect(ben.chat.message("Hi Ben, are you there?")).toHaveAttribute("aria-label", new RegExp(`^${ana.name}, `));

  await ben.chat.send("Yes! Hello Ana.");
  await expect(ana.chat.message("Yes! Hello Ana.")).toBeVisible({ timeout: 1_000 });

  // Opening the same pair again gives the same conversation, not a second one.
  await ana.chat.openDirect(ben.name);
  await expect(ana.chat.conversations.getByRole("link")).toHaveCount(1);

  for (const user of [ana, ben]) {
    await user.chat.page.reload();
    await user.chat.open(user === ana ? ben.name : ana.name);
    await expect.poll(() => user.chat.texts()).toEqual(["Hi Ben, are you there?", "Yes! Hello Ana."]);
  }
});

test("a message in a group of three reaches the other two", async ({ signUp }) => {
  const cleo = await signUp("Cleo");
  const dan = await signUp("Dan");
  const eve = await signUp("Eve");

  await cleo.chat.createGroup("Weekend plans", [dan.name, eve.name]);
  for (const member of [dan, eve]) await expect(member.chat.conversation("Weekend plans")).toBeVisible();
  await dan.chat.open("Weekend plans");

  await cleo.chat.send("Hiking on Saturday?");
  await expect(dan.chat.message("Hiking on Saturday?")).toBeVisible({ timeout: 1_000 });
  await expect(eve.chat.conversation("Weekend plans")).toContainText(`${cleo.name}: Hiking on Saturday?`, { timeout: 1_000 });
  await expect(eve.chat.unreadBadge("Weekend plans")).toHaveText("1");

  await dan.chat.send("Count me in");
  await eve.chat.open("Weekend plans");
  await expect.poll(() => eve.chat.texts()).toEqual(["Hiking on Saturday?", "Count me in"]);
  await expect(cleo.chat.message("Count me in")).toBeVisible({ timeout: 1_000 });
});

test("Load older brings back the earliest of 120 messages", async ({ signUp }) => {
  const fay = await signUp("Fay");
  const gus = await signUp("Gus");
  await fay.chat.openDirect(gus.name);
  const conversationId = new URL(fay.chat.page.url()).searchParams.get("c");
  expect(conversationId).toBeTruthy();

  // Seeded through the HTTP API with Fay's own session: the same path as the fallback sends.
  const request = fay.chat.page.context().request;
  for (let i = 1; i <= 120; i += 1) {
    const response = await request.post(`/api/conversations/${conversationId}/messages`, {
      data: { clientMsgId: crypto.randomUUID(), text: `message ${i}` },
    });
    expect(response.status()).toBe(201);
  }

  // Gus has read none of them: he starts at the first, under the New messages divider.
  const all = Array.from({ length: 120 }, (_, i) => `message ${i + 1}`);
  await gus.chat.open(fay.name);
  await expect(gus.chat.message("message 1")).toBeInViewport();
  await expect(gus.chat.page.getByTestId("unread-divider")).toBeVisible();
  await expect.poll(() => gus.chat.texts()).toEqual(all);

  // Fay wrote them all, so nothing is unread for her: she starts at the newest and pages back.
  await fay.chat.page.reload();
  await fay.chat.open(gus.name);
  await expect(fay.chat.message("message 120")).toBeInViewport();
  await expect(fay.chat.message("message 70")).toHaveCount(0);
  const older = fay.chat.page.getByRole("button", { name: "Load older" });
  // Scrolling to the button also brings pages in by itself, so it may be gone before a second click.
  for (let page = 0; page < 5 && (await older.count()) > 0; page += 1) await older.click({ timeout: 2_000 }).catch(() => undefined);
  await expect(older).toHaveCount(0);
  await expect.poll(() => fay.chat.texts()).toEqual(all);
});
