// Receipts and unread as people see them, across browsers and tabs: who read a group message,
// the tab title's count, "Mark as unread" in two tabs, reading only at the bottom, read receipts
// turned off (both ways), and replies with their quote and jump.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test, type ChatUser } from "./fixtures";
import { ChatPage } from "./pages/chat-page";

/** A second tab of the same signed-in person (same browser context, so same session). */
async function secondTab(user: ChatUser): Promise<ChatPage> {
  const page = await user.chat.page.context().newPage();
  await page.goto("/chat");
  const chat = new ChatPage(page);
  await chat.waitConnected();
  return chat;
}

const conversationIdOf = (page: Page) => new URL(page.url()).searchParams.get("c")!;

/** Messages written through the public route (fast, for long histories), as the signed-in user of `page`. */
async function postMessages(page: Page, conversationId: string, texts: string[]) {
  for (const text of texts) {
    const response = await page.request.post(`/api/conversations/${conversationId}/messages`, { data: { clientMsgId: randomUUID(), text } });
    expect(response.status()).toBe(201);
  }
}

test("a group message's ticks say who read it and who only received it", async ({ signUp }) => {
  const eli = await signUp("Eli");
  const fay = await signUp("Fay");
  const gus = await signUp("Gus");
  await eli.chat.createGroup("Readers", [fay.name, gus.name]);
  await fay.chat.open("Readers");
  await expect(gus.chat.conversation("Readers")).toBeVisible();
  await eli.chat.send("Who reads this?");
  const ticks = eli.chat.message("Who reads this?").getByTestId("delivery");
  await expect(ticks).toHaveText(/Read by 1/, { timeout: 5_000 });
  await ticks.focus();
  const detail = eli.chat.page.getByRole("tooltip");
  await expect(detail.getByTestId("read-by")).toHaveText(`Read by: ${fay.name}`);
  await expect(detail.getByTestId("delivered-to")).toHaveText(`Delivered, not read: ${gus.name}`);
  await gus.chat.open("Readers");
  await expect(detail.getByTestId("read-by")).toHaveText(new RegExp(`Read by: (${fay.name}, ${gus.name}|${gus.name}, ${fay.name})`), { timeout: 5_000 });
  await expect(detail.getByTestId("delivered-to")).toHaveCount(0);
});

test("the tab title counts unread in every tab, and 'Mark as unread' shows in both of a person's tabs until read", async ({ signUp }) => {
  const ann = await signUp("Ann");
  const bo = await signUp("Bo");
  const boOther = await secondTab(bo);
  await ann.chat.openDirect(bo.name);
  for (const text of ["one", "two", "three"]) await ann.chat.send(text);
  await expect(bo.chat.page).toHaveTitle("(3) Parley", { timeout: 5_000 });
  await expect(boOther.page).toHaveTitle("(3) Parley", { timeout: 5_000 });
  await expect(ann.chat.page).toHaveTitle("Parley");

  await bo.chat.open(ann.name);
  await expect(bo.chat.page).toHaveTitle("Parley", { timeout: 5_000 });
  await expect(boOther.page).toHaveTitle("Parley", { timeout: 5_000 });

  await bo.chat.page.getByRole("button", { name: "Mark as unread" }).click();
  for (const tab of [bo.chat, boOther]) {
    await expect(tab.conversation(ann.name).getByTestId("marked-unread")).toBeVisible({ timeout: 5_000 });
    await expect(tab.page).toHaveTitle("(1) Parley");
  }
  // Survives a reload (it is stored), and reading it in the other tab clears it in both.
  await boOther.page.reload();
  await boOther.waitConnected();
  await expect(boOther.conversation(ann.name).getByTestId("marked-unread")).toBeVisible();
  await boOther.open(ann.name);
  for (const tab of [bo.chat, boOther]) {
    await expect(tab.conversation(ann.name).getByTestId("marked-unread")).toHaveCount(0, { timeout: 5_000 });
    await expect(tab.page).toHaveTitle("Parley");
  }
  // Ann saw none of it: her message still shows as read.
  await expect(ann.chat.message("three").getByTestId("delivery")).toHaveAttribute("data-delivery", "read");
});

test("scrolled up in the history, newer messages stay unread until the reader is back at the bottom", async ({ signUp }) => {
  const cal = await signUp("Cal");
  const dee = await signUp("Dee");
  await cal.chat.openDirect(dee.name);
  await cal.chat.send("start");
  const conversationId = conversationIdOf(cal.chat.page);
  await postMessages(cal.chat.page, conversationId, Array.from({ length: 30 }, (_, i) => `filler ${i} ${"words ".repeat(12)}`));
  await dee.chat.open(cal.name);
  // She starts at the first of what she has not read; reaching the end reads the rest.
  await expect(dee.chat.message("start")).toBeInViewport();
  await expect(dee.chat.page).not.toHaveTitle("Parley");
  await dee.chat.page.getByTestId("jump-to-bottom").click();
  await expect(dee.chat.page).toHaveTitle("Parley", { timeout: 5_000 });
  // The history is on screen (and scrolled to its end) before the reader scrolls up: on a busy
  // machine it could still be loading, and the scroll would then happen to an empty thread.
  await expect(dee.chat.message(`filler 29 ${"words ".repeat(12)}`.trim())).toBeVisible();

  const scroller = dee.chat.messages.locator("xpath=..");
  await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
  await cal.chat.send("said while Dee reads the history");
  await expect(dee.chat.unreadBadge(cal.name)).toHaveText("1", { timeout: 5_000 });
  await expect(dee.chat.page).toHaveTitle("(1) Parley");
  await dee.chat.page.waitForTimeout(1_000);
  await expect(cal.chat.message("said while Dee reads the history").getByTestId("delivery")).toHaveAttribute("data-delivery", "delivered");

  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(dee.chat.unreadBadge(cal.name)).toHaveCount(0, { timeout: 5_000 });
  await expect(cal.chat.message("said while Dee reads the history").getByTestId("delivery")).toHaveAttribute("data-delivery", "read", { timeout: 5_000 });
});

test("with read receipts off, neither side sees the other's read ticks", async ({ signUp }) => {
  const cy = await signUp("Cy");
  const di = await signUp("Di");
  let toggle = (await di.chat.settings()).getByRole("checkbox", { name: "Read receipts" });
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(toggle).not.toBeChecked();
  await di.chat.page.keyboard.press("Escape");
  await expect.poll(async () => ((await (await di.chat.page.request.get("/api/settings")).json()) as { settings: { readReceipts: boolean } }).settings.readReceipts).toBe(false);

  await cy.chat.openDirect(di.name);
  await cy.chat.send("hello Di");
  await di.chat.open(cy.name);
  await expect(di.chat.message("hello Di")).toBeVisible();
  const cysTick = cy.chat.message("hello Di").getByTestId("delivery");
  await expect(cysTick).toHaveAttribute("data-delivery", "delivered", { timeout: 5_000 });
  await di.chat.send("hi Cy");
  await expect(cy.chat.message("hi Cy")).toBeVisible({ timeout: 5_000 });
  // Both have read each other's message; neither is told.
  await cy.chat.page.waitForTimeout(1_500);
  await expect(cysTick).toHaveAttribute("data-delivery", "delivered");
  await expect(di.chat.message("hi Cy").getByTestId("delivery")).toHaveAttribute("data-delivery", "delivered");
  // Still so after a reload (HTTP answers hide it too).
  await cy.chat.page.reload();
  await cy.chat.waitConnected();
  await expect(cy.chat.message("hello Di").getByTestId("delivery")).toHaveAttribute("data-delivery", "delivered");

  // Turned back on, reads show again both ways.
  toggle = (await di.chat.settings()).getByRole("checkbox", { name: "Read receipts" });
  await toggle.check();
  // The box flips at once; the reload must come after the save.
  await expect.poll(async () => ((await (await di.chat.page.request.get("/api/settings")).json()) as { settings: { readReceipts: boolean } }).settings.readReceipts).toBe(true);
  await di.chat.page.reload();
  await di.chat.waitConnected();
  await expect(di.chat.message("hi Cy").getByTestId("delivery")).toHaveAttribute("data-delivery", "read", { timeout: 5_000 });
});

test("a reply quotes its original for both people, and the quote jumps to it through older pages", async ({ signUp }) => {
  const ed = await signUp("Ed");
  const flo = await signUp("Flo");
  await ed.chat.openDirect(flo.name);
  await ed.chat.send("the very first message");
  const conversationId = conversationIdOf(ed.chat.page);
  await postMessages(ed.chat.page, conversationId, Array.from({ length: 55 }, (_, i) => `filler ${i}`));

  // All of it is unread for Flo: she starts at the first message, older than the newest page.
  await flo.chat.open(ed.name);
  const original = flo.chat.message("the very first message");
  await expect(original).toBeInViewport();
  await original.hover();
  await original.getByRole("button", { name: "Reply" }).click();
  await expect(flo.chat.page.getByTestId("composer-reply")).toContainText("the very first message");
  await flo.chat.send("my answer to that");
  await expect(flo.chat.page.getByTestId("composer-reply")).toHaveCount(0);
  const floReply = flo.chat.message("my answer to that");
  await expect(floReply.getByTestId("reply-excerpt")).toHaveText("the very first message", { timeout: 5_000 });
  // Ed sees the quote, though the original is far above what his view holds.
  const edReply = ed.chat.message("my answer to that");
  await expect(edReply.getByTestId("reply-excerpt")).toHaveText("the very first message", { timeout: 5_000 });
  await expect(edReply.getByTestId("reply-quote")).toContainText(ed.name);

  // A fresh load holds only the newest page: the quote loads older pages until the original is there.
  await flo.chat.page.reload();
  await flo.chat.waitConnected();
  await expect(flo.chat.message("the very first message")).toHaveCount(0);
  await flo.chat.message("my answer to that").getByTestId("reply-quote").click();
  const jumped = flo.chat.message("the very first message");
  await expect(jumped).toBeInViewport({ timeout: 5_000 });
  await expect(jumped).toHaveAttribute("data-highlighted", "true");
});

test("an @mention is picked among the members, highlighted for the one mentioned and counted apart in their list", async ({ signUp }) => {
  const gil = await signUp("Gil");
  const hal = await signUp("Hal");
  const ida = await signUp("Ida");
  await gil.chat.createGroup("Mentions", [hal.name, ida.name]);
  await expect(hal.chat.conversation("Mentions")).toBeVisible();
  // Not by its label: a textbox's accessible name takes in its value once it has one.
  const box = gil.chat.page.locator('textarea[name="message"]');
  await box.fill(`Hey @${hal.name.slice(0, 3)}`);
  const options = gil.chat.page.getByRole("listbox", { name: "Mention someone" });
  await expect(options.getByRole("option")).toHaveCount(1);
  await options.getByRole("option", { name: `@${hal.name}` }).click();
  await expect(box).toHaveValue(`Hey @${hal.name} `);
  await box.pressSequentially("see this");
  await gil.chat.page.getByRole("button", { name: "Send" }).click();

  await expect(hal.chat.conversation("Mentions").getByTestId("mention-count")).toHaveText("@1", { timeout: 5_000 });
  await expect(hal.chat.unreadBadge("Mentions")).toHaveText("1");
  await expect(ida.chat.unreadBadge("Mentions")).toHaveText("1", { timeout: 5_000 });
  await expect(ida.chat.conversation("Mentions").getByTestId("mention-count")).toHaveCount(0);

  await hal.chat.open("Mentions");
  await expect(hal.chat.message(`Hey @${hal.name} see this`)).toHaveAttribute("data-mentions-me", "true");
  await expect(hal.chat.conversation("Mentions").getByTestId("mention-count")).toHaveCount(0, { timeout: 5_000 });
  await ida.chat.open("Mentions");
  await expect(ida.chat.message(`Hey @${hal.name} see this`)).not.toHaveAttribute("data-mentions-me", "true");
});

/** Records browser notifications instead of showing them, and lets the test hide the page. */
const NOTIFICATION_STUB = () => {
  const w = window as unknown as { __notifications: { title: string; body?: string }[]; __visibility?: string; Notification: unknown };
  w.__notifications = [];
  w.Notification = class {
    static permission = "granted";
    static requestPermission = async () => "granted";
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      w.__notifications.push({ title, body: options?.body });
      (w as unknown as { __lastNotification: unknown }).__lastNotification = this;
    }
    close() {}
  };
  Object.defineProperty(Document.prototype, "visibilityState", { configurable: true, get: () => w.__visibility ?? "visible" });
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => (w.__visibility ?? "visible") === "hidden" });
};

async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((value) => {
    (window as unknown as { __visibility: string }).__visibility = value ? "hidden" : "visible";
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

const notificationsOf = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications);

test("a toast for another conversation, one browser notification across two hidden tabs, and silence when muted", async ({ signUp }) => {
  const jo = await signUp("Jo");
  const kim = await signUp("Kim");
  const lee = await signUp("Lee");
  const context = kim.chat.page.context();
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(NOTIFICATION_STUB);
  await kim.chat.page.reload();
  await kim.chat.waitConnected();
  const kimOther = await secondTab(kim);

  await jo.chat.openDirect(kim.name);
  await lee.chat.openDirect(kim.name);
  await expect(kim.chat.conversation(lee.name)).toBeVisible({ timeout: 5_000 });
  await kim.chat.open(lee.name);

  // Visible, another conversation open: an in-app toast; clicking it opens the conversation.
  await jo.chat.send("toast me");
  const toast = kim.chat.page.getByTestId("toast").filter({ hasText: "toast me" });
  await expect(toast).toBeVisible({ timeout: 5_000 });
  await toast.getByRole("button", { name: new RegExp(jo.name) }).click();
  await expect(kim.chat.page.getByRole("heading", { level: 1, name: jo.name })).toBeVisible();

  // Both tabs hidden: exactly one browser notification between them.
  await setHidden(kim.chat.page, true);
  await setHidden(kimOther.page, true);
  await lee.chat.send("notify me once");
  await expect.poll(async () => (await notificationsOf(kim.chat.page)).length + (await notificationsOf(kimOther.page)).length, { timeout: 5_000 }).toBe(1);
  await kim.chat.page.waitForTimeout(1_000);
  const all = [...(await notificationsOf(kim.chat.page)), ...(await notificationsOf(kimOther.page))];
  expect(all).toEqual([{ title: lee.name, body: "notify me once" }]);
  // Clicking it opens the conversation in the tab that showed it.
  const shower = (await notificationsOf(kim.chat.page)).length === 1 ? kim.chat : kimOther;
  await shower.page.evaluate(() => (window as unknown as { __lastNotification: { onclick: () => void } }).__lastNotification.onclick());
  await expect(shower.page.getByRole("heading", { level: 1, name: lee.name })).toBeVisible();

  // Muted (from the other tab): nothing at all.
  await setHidden(kimOther.page, false);
  await kimOther.open(lee.name);
  await kimOther.page.getByRole("button", { name: "Mute" }).click();
  await expect(kim.chat.conversation(lee.name).getByRole("img", { name: "muted" })).toBeVisible({ timeout: 5_000 });
  await setHidden(kimOther.page, true);
  await lee.chat.send("you muted me");
  await expect(kim.chat.conversation(lee.name)).toContainText("you muted me", { timeout: 5_000 });
  await kim.chat.page.waitForTimeout(1_000);
  expect((await notificationsOf(kim.chat.page)).length + (await notificationsOf(kimOther.page)).length).toBe(1);
  await setHidden(kim.chat.page, false);
  await expect(kim.chat.page.getByTestId("toast").filter({ hasText: "you muted me" })).toHaveCount(0);
});
