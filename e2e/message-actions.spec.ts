// Reactions, edit, delete (for everyone, for me) and pins, each asserted on what the *other*
// person sees: live, and again after a reload.
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

/** A message's bubble, found by its text, or by any text once it is deleted. */
const bubble = (chat: ChatPage, text: string) => chat.message(text);
const tools = (message: Locator) => message.getByRole("group", { name: "Message actions" });

/** Sends through the site's own HTTP API from the page (same origin, the user's cookie): fast setup. */
async function sendViaApi(page: Page, conversationId: string, texts: string[]): Promise<string[]> {
  return page.evaluate(
    async ({ conversationId, texts }) => {
      const ids: string[] = [];
      for (const text of texts) {
        const response = await fetch(`/api/conversations/${conversationId}/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ clientMsgId: crypto.randomUUID(), text }),
        });
        ids.push(((await response.json()) as { message: { id: string } }).message.id);
      }
      return ids;
    },
    { conversationId, texts },
  );
}

test("reactions, an edit and a delete for everyone, as the other person sees them live and after a reload", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ana.chat.send("Lunch at noon?");
  await ben.chat.open(ana.name);
  const bensCopy = bubble(ben.chat, "Lunch at noon?");
  await expect(bensCopy).toBeVisible();

  // Ben reacts with the keyboard alone: open the picker, move right once, pick.
  await tools(bensCopy).getByRole("button", { name: "React" }).focus();
  await ben.chat.page.keyboard.press("Enter");
  const picker = ben.chat.page.getByRole("dialog", { name: "Choose a reaction" });
  await expect(picker.getByRole("button", { name: "React with 👍" })).toBeFocused();
  await ben.chat.page.keyboard.press("ArrowRight");
  await ben.chat.page.keyboard.press("Enter");
  await expect(picker).toHaveCount(0);

  const anasCopy = bubble(ana.chat, "Lunch at noon?");
  const heart = anasCopy.getByTestId("reaction").and(anasCopy.locator('[data-emoji="❤️"]'));
  await expect(heart).toHaveAccessibleName(`❤️ 1: ${ben.name}`, { timeout: 2_000 });
  // Ana adds hers by pressing the same reaction: Ben sees two, and who.
  await heart.click();
  const bensHeart = bensCopy.locator('[data-testid="reaction"][data-emoji="❤️"]');
  await expect(bensHeart).toHaveAccessibleName(`❤️ 2: you, ${ana.name}`, { timeout: 2_000 });
  await expect(bensHeart).toHaveAttribute("aria-pressed", "true");
  // And takes it back.
  await heart.click();
  await expect(bensHeart).toHaveAccessibleName("❤️ 1: you", { timeout: 2_000 });

  // Ana edits: Ben sees the new text, marked edited, live and after a reload.
  await ana.chat.messageMenu(anasCopy, "Edit");
  await ana.chat.page.getByLabel("Edit message").fill("Lunch at one?");
  await ana.chat.page.getByLabel("Edit message").press("Enter");
  const edited = bubble(ben.chat, "Lunch at one?");
  await expect(edited).toBeVisible({ timeout: 2_000 });
  await expect(edited.getByTestId("edited")).toHaveText("edited");
  await ben.chat.page.reload();
  await ben.chat.waitConnected();
  await expect(bubble(ben.chat, "Lunch at one?").getByTestId("edited")).toBeVisible();
  await expect(bubble(ben.chat, "Lunch at noon?")).toHaveCount(0);

  // A message deleted for everyone: Ben sees only that it was deleted, live and after a reload.
  await ana.chat.send("my bank pin is 1234");
  await expect(bubble(ben.chat, "my bank pin is 1234")).toBeVisible();
  const mistake = bubble(ana.chat, "my bank pin is 1234");
  await ana.chat.messageMenu(mistake, "Delete");
  await mistake.getByRole("button", { name: "Delete for everyone" }).click();
  await expect(ben.chat.messages.getByTestId("message-deleted")).toHaveCount(1, { timeout: 2_000 });
  await expect(ben.chat.messages).not.toContainText("1234");
  await expect(ben.chat.conversation(ana.name)).toContainText("This message was deleted");
  await ben.chat.page.reload();
  await ben.chat.waitConnected();
  await expect(ben.chat.messages.getByTestId("message-deleted")).toHaveCount(1);
  await expect(ben.chat.page.getByText("1234")).toHaveCount(0);
  // Ben cannot edit or delete Ana's message for everyone: the choices are not offered.
  const bensEdited = bubble(ben.chat, "Lunch at one?");
  const bensMenu = await ben.chat.openMessageMenu(bensEdited);
  await expect(bensMenu.getByRole("menuitem", { name: "Edit" })).toHaveCount(0);
  await bensMenu.getByRole("menuitem", { name: "Delete" }).click();
  await expect(bensEdited.getByRole("button", { name: "Delete for me" })).toBeFocused();
  await expect(bensEdited.getByRole("button", { name: "Delete for everyone" })).toHaveCount(0);
  // The deleted message offers nothing at all.
  const gone = ben.chat.messages.locator("article[data-stored]").filter({ has: ben.chat.page.getByTestId("message-deleted") });
  await expect(gone.getByRole("button")).toHaveCount(0);
});

test("delete for me hides a message on my other tab too, and not for the other person", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ana.chat.send("Keep this one");
  await ana.chat.send("Ben will hide this");
  await ben.chat.open(ana.name);
  const otherTab = new ChatPage(await ben.chat.page.context().newPage());
  await otherTab.page.goto(ben.chat.page.url().replace(/\/chat.*$/, "/chat"));
  await otherTab.waitConnected();
  await otherTab.open(ana.name);
  await expect(bubble(otherTab, "Ben will hide this")).toBeVisible();

  const target = bubble(ben.chat, "Ben will hide this");
  await ben.chat.messageMenu(target, "Delete");
  await target.getByRole("button", { name: "Delete for me" }).click();
  await expect(bubble(ben.chat, "Ben will hide this")).toHaveCount(0);
  await expect(bubble(otherTab, "Ben will hide this")).toHaveCount(0, { timeout: 2_000 });
  await expect(bubble(otherTab, "Keep this one")).toBeVisible();
  // Ana still has it, with nothing to say it was hidden.
  await ana.chat.page.reload();
  await ana.chat.waitConnected();
  await expect(bubble(ana.chat, "Ben will hide this")).toBeVisible();
  await expect(ana.chat.messages.getByTestId("message-deleted")).toHaveCount(0);
  await ben.chat.page.reload();
  await ben.chat.waitConnected();
  await expect(bubble(ben.chat, "Keep this one")).toBeVisible();
  await expect(bubble(ben.chat, "Ben will hide this")).toHaveCount(0);
});

test("pins: the bar shows them to the other member live, and jumps to an old pinned message beyond the first page", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  const conversationId = new URL(ana.chat.page.url()).searchParams.get("c")!;
  // An old message, then more than a page (50) after it.
  const [oldId] = await sendViaApi(ana.chat.page, conversationId, ["The old plan", ...Array.from({ length: 60 }, (_, i) => `filler ${i}`)]);
  await ana.chat.page.evaluate((id) => fetch(`/api/messages/${id}/pin`, { method: "PUT" }), oldId!);
  await ana.chat.page.reload();
  await ana.chat.waitConnected();
  await ana.chat.send("The new plan");

  await ben.chat.open(ana.name);
  const bar = ben.chat.page.getByRole("navigation", { name: "Pinned messages" });
  await expect(bar.getByTestId("pinned-message")).toHaveCount(1);

  // Ana pins the new one through the menu: Ben's bar shows it at once.
  await ana.chat.messageMenu(bubble(ana.chat, "The new plan"), "Pin");
  await expect(bar.getByTestId("pinned-message")).toHaveCount(2, { timeout: 2_000 });
  await expect(bar.getByTestId("pinned-message").first()).toContainText("The new plan");
  await expect(bubble(ben.chat, "The new plan").getByTestId("pinned")).toBeVisible();

  // Ana wrote all of it, so nothing is unread for her: after a reload she holds only the newest
  // page. Choosing the old pin loads the older page and takes her there.
  await ana.chat.page.reload();
  await ana.chat.waitConnected();
  await expect(bubble(ana.chat, "The new plan")).toBeVisible();
  await expect(bubble(ana.chat, "The old plan")).toHaveCount(0);
  await ana.chat.page.getByRole("navigation", { name: "Pinned messages" }).getByRole("button", { name: /The old plan/ }).click();
  const old = bubble(ana.chat, "The old plan");
  await expect(old).toBeFocused({ timeout: 5_000 });
  await expect(old).toBeInViewport();

  // Unpinning: gone from the other's bar.
  await ben.chat.messageMenu(bubble(ben.chat, "The new plan"), "Unpin");
  await expect(ana.chat.page.getByRole("navigation", { name: "Pinned messages" }).getByTestId("pinned-message")).toHaveCount(1, { timeout: 2_000 });
});

test("over the HTTP fallback (server actions), a reaction, an edit and a delete still reach a socket-connected member live", async ({ signUp }) => {
  const jon = await signUp("Jon");
  const kim = await signUp("Kim");
  await jon.chat.openDirect(kim.name);
  await jon.chat.send("Sent before going HTTP");
  await kim.chat.open(jon.name);
  await expect(bubble(kim.chat, "Sent before going HTTP")).toBeVisible();

  await jon.chat.page.evaluate(() => window.localStorage.setItem("parley.transport", "http"));
  await jon.chat.page.reload();
  await expect(jon.chat.status).toHaveText("Using HTTP");
  await jon.chat.open(kim.name);
  const mine = bubble(jon.chat, "Sent before going HTTP");

  await mine.hover();
  await tools(mine).getByRole("button", { name: "React" }).click();
  await jon.chat.page.getByRole("button", { name: "React with 🎉" }).click();
  await expect(bubble(kim.chat, "Sent before going HTTP").locator('[data-testid="reaction"][data-emoji="🎉"]')).toHaveAccessibleName(`🎉 1: ${jon.name}`, { timeout: 2_000 });

  await jon.chat.messageMenu(mine, "Edit");
  await jon.chat.page.getByLabel("Edit message").fill("Edited over HTTP");
  await jon.chat.page.getByRole("button", { name: "Save" }).click();
  await expect(bubble(kim.chat, "Edited over HTTP").getByTestId("edited")).toBeVisible({ timeout: 2_000 });

  const edited = bubble(jon.chat, "Edited over HTTP");
  await jon.chat.messageMenu(edited, "Delete");
  await edited.getByRole("button", { name: "Delete for everyone" }).click();
  await expect(kim.chat.messages.getByTestId("message-deleted")).toHaveCount(1, { timeout: 2_000 });
  await expect(jon.chat.messages.getByTestId("message-deleted")).toHaveCount(1);
});
