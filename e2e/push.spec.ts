// The page side of Web Push in real Chromium. A real subscription needs the browser's push
// service (Google's, for Chromium), which this machine cannot reach: the server side is covered
// by test/integration/push.test.ts against a local push service. Here: turning push on in
// Settings registers the service worker under the page's CSP; push events fired through the
// DevTools protocol (ServiceWorker.deliverPushMessage) show one notification per conversation,
// and none while a tab is in view; and the worker's click handling opens the conversation in
// the open chat. The click itself on a system notification is beyond automation
// (test/unit/service-worker.test.ts covers it with stand-ins).
import type { BrowserContext, CDPSession, Page } from "@playwright/test";
import { expect, test } from "./fixtures";

type Shown = { title: string; body: string; tag: string };

async function pushRegistrationId(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  return found;
}

const shown = (page: Page) =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration("/sw.js");
    return ((await registration?.getNotifications()) ?? []).map((n) => ({ title: n.title, body: n.body, tag: n.tag }));
  }) as Promise<Shown[]>;

async function turnOn(context: BrowserContext, page: Page, settings: () => Promise<import("@playwright/test").Locator>) {
  await context.grantPermissions(["notifications"]);
  const dialog = await settings();
  const section = dialog.getByTestId("push-settings");
  await expect(section).toContainText("Notifications when Parley is closed");
  await section.getByRole("button", { name: "Turn on" }).click();
  // With a push service in reach it is on; without one (this machine), it says so plainly.
  await expect(section.getByRole("button", { name: "Turn off" }).or(section.getByText("could not reach its push service"))).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration("/sw.js"))?.active))).toBe(true);
}

test("push events show one notification per conversation while no tab is in view, and a click opens the conversation", async ({ signUp, stack }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  const conversationId = new URL(ana.chat.page.url()).searchParams.get("c")!;
  const { page } = ana.chat;
  const context = page.context();
  await turnOn(context, page, () => ana.chat.settings());
  await page.keyboard.press("Escape");

  const origin = new URL(stack.webUrl).origin;
  const cdp = await context.newCDPSession(page);
  const registrationId = await pushRegistrationId(cdp, origin);
  const deliver = (data: object) => cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: JSON.stringify(data) });
  const push = (count: number, text: string, id = conversationId) => ({
    kind: "message",
    conversationId: id,
    title: ben.name,
    body: count > 1 ? `${count} new messages\n${text}` : text,
    count,
    tag: id,
    url: `/chat?c=${id}`,
  });

  // The chat is in view: the page has told its person already.
  await deliver(push(1, "seen in the page"));
  await page.waitForTimeout(500);
  expect(await shown(page)).toEqual([]);

  // No window of ours in view: the worker shows them, the newer replacing the older of a conversation.
  await page.goto("about:blank");
  const other = "0123456789abcdef01234567";
  await deliver(push(1, "first"));
  await deliver(push(2, "second"));
  await deliver(push(1, "elsewhere", other));
  await page.goto(`${stack.webUrl}/chat`);
  await expect.poll(async () => (await shown(page)).sort((a, b) => a.tag.localeCompare(b.tag))).toEqual(
    [
      { title: ben.name, body: "2 new messages\nsecond", tag: conversationId },
      { title: ben.name, body: "elsewhere", tag: other },
    ].sort((a, b) => a.tag.localeCompare(b.tag)),
  );

  // The worker's click handling, run in the real worker: the open chat shows the conversation.
  await ana.chat.waitConnected();
  await expect(ana.chat.conversation(ben.name)).toBeVisible();
  expect(new URL(page.url()).searchParams.get("c")).toBeNull();
  const worker = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"))!;
  await worker.evaluate((data) => (self as unknown as { openConversation(d: object): Promise<void> }).openConversation(data), { conversationId, url: `/chat?c=${conversationId}` });
  await expect.poll(() => new URL(page.url()).searchParams.get("c")).toBe(conversationId);
});

test("Settings lists the devices that get notifications and removes one", async ({ signUp }) => {
  const cleo = await signUp("Cleo");
  const { page } = cleo.chat;
  // A device subscribed elsewhere (a phone), stored through the API with this session.
  const endpoint = "https://push.example.org/send/0123456789abcdef";
  const p256dh = `B${"A".repeat(86)}`;
  const response = await page.context().request.post("/api/push/subscriptions", {
    data: { endpoint, keys: { p256dh, auth: "A".repeat(22) } },
    headers: { "user-agent": "Mozilla/5.0 (Linux; Android 15; Pixel 9) Chrome/140.0 Mobile Safari/537.36" },
  });
  expect(response.status()).toBe(201);
  const dialog = await cleo.chat.settings();
  const list = dialog.getByRole("list", { name: "Devices that get notifications" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText("Chrome on Android");
  await list.getByRole("button", { name: "Remove Chrome on Android" }).click();
  await expect(list).toHaveCount(0);
  const after = await page.context().request.get("/api/push/subscriptions");
  expect(((await after.json()) as { devices: unknown[] }).devices).toEqual([]);
});
