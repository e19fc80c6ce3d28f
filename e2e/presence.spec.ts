import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

// Typing is throttled to one start per 2 s per conversation: typing again sooner shows nothing new.
const THROTTLE_MS = 2_000;
// Receivers drop a start that is not refreshed within 6 s.
const EXPIRES_MS = 6_000;
// The socket server's default grace before someone whose last tab closed is announced offline.
const GRACE_MS = 3_000;

test("typing: the other person sees it appear, clear on send and on blur, and expire when the typist goes silent", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ben.chat.open(ana.name);
  const typing = `${ana.name} is typing…`;

  // Appears while Ana types, in the open conversation and in the list.
  await ana.chat.composer.pressSequentially("Hel", { delay: 50 });
  await expect(ben.chat.typing).toHaveText(typing);
  await expect(ben.chat.conversation(ana.name).getByTestId("typing-preview")).toHaveText(typing);
  await expect(ana.chat.typing, "the typist does not see themself typing").toHaveText("");

  // Sending clears it at once (long before it would expire).
  await ana.chat.composer.press("Enter");
  await expect(ben.chat.message("Hel")).toBeVisible();
  await expect(ben.chat.typing).toHaveText("", { timeout: 1_000 });

  // Leaving the composer clears it at once too.
  await ana.chat.page.waitForTimeout(THROTTLE_MS);
  await ana.chat.composer.pressSequentially("Still there", { delay: 30 });
  await expect(ben.chat.typing).toHaveText(typing);
  await ana.chat.page.getByRole("heading", { level: 1, name: ben.name }).click();
  await expect(ben.chat.typing).toHaveText("", { timeout: 1_000 });

  // Silence with the composer still focused and a draft in it: no stop is ever sent, and it goes by itself.
  await ana.chat.page.waitForTimeout(THROTTLE_MS);
  await ana.chat.composer.pressSequentially("!", { delay: 30 });
  await expect(ben.chat.typing).toHaveText(typing);
  const shown = Date.now();
  await ben.chat.page.waitForTimeout(EXPIRES_MS - 2_000);
  await expect(ben.chat.typing, "gone before its time").toHaveText(typing);
  await expect(ben.chat.typing).toHaveText("", { timeout: 3_000 });
  expect(Date.now() - shown).toBeLessThan(EXPIRES_MS + 2_500);
  await expect(ana.chat.composer).toBeFocused();
});

test("typing in a group: 'Ana and 2 others are typing…'", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  const cleo = await signUp("Cleo");
  const dan = await signUp("Dan");
  await ana.chat.createGroup("Typists", [ben.name, cleo.name, dan.name]);
  for (const user of [ben, cleo, dan]) await user.chat.open("Typists");

  await ben.chat.composer.pressSequentially("one", { delay: 30 });
  await expect(ana.chat.typing).toHaveText(`${ben.name} is typing…`);
  await cleo.chat.composer.pressSequentially("two", { delay: 30 });
  await expect(ana.chat.typing).toHaveText(`${ben.name} and ${cleo.name} are typing…`);
  await dan.chat.composer.pressSequentially("three", { delay: 30 });
  await expect(ana.chat.typing).toHaveText(`${ben.name} and 2 others are typing…`);
  // Those who type see the others, never themselves.
  await expect(dan.chat.typing).toHaveText(`${ben.name} and ${cleo.name} are typing…`);

  await ben.chat.composer.press("Enter");
  await expect(ana.chat.typing).toHaveText(`${cleo.name} and ${dan.name} are typing…`, { timeout: 1_000 });
});

test("presence: online on any tab; closing one of two keeps the dot, closing the last shows 'last seen'", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ben.chat.open(ana.name);

  await expect(ben.chat.onlineDot(ana.name)).toBeVisible();
  await expect(ben.chat.presenceStatus).toHaveText("online");
  await expect(ana.chat.presenceStatus).toHaveText("online");

  // A second tab, then the first one closes: Ana is still online, well after the grace period.
  const secondTab = new ChatPage(await ana.chat.page.context().newPage());
  await secondTab.page.goto("/chat");
  await secondTab.waitConnected();
  await ana.chat.page.close();
  await ben.chat.page.waitForTimeout(GRACE_MS + 1_500);
  await expect(ben.chat.onlineDot(ana.name)).toBeVisible();
  await expect(ben.chat.presenceStatus).toHaveText("online");

  // The last one closes: the dot goes, and "last seen" takes its place.
  await secondTab.page.close();
  await expect(ben.chat.presenceStatus).toHaveText("last seen just now", { timeout: GRACE_MS + 5_000 });
  await expect(ben.chat.onlineDot(ana.name)).toHaveCount(0);

  // It was stored: a fresh page load says the same.
  await ben.chat.page.reload();
  await ben.chat.waitConnected();
  await expect(ben.chat.presenceStatus).toHaveText("last seen just now");
  await expect(ben.chat.onlineDot(ana.name)).toHaveCount(0);

  // Back on a tab: online again.
  const back = new ChatPage(await secondTab.page.context().newPage());
  await back.page.goto("/chat");
  await back.waitConnected();
  await expect(ben.chat.presenceStatus).toHaveText("online");
  await expect(ben.chat.onlineDot(ana.name)).toBeVisible();
});
