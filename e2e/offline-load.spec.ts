import type { Page } from "@playwright/test";
import { expect, test, type ChatUser } from "./fixtures";

// The chat's code comes in two parts: what the page's HTML names, and the parts fetched after it
// shows (the thread, the message box, the engine, panels: lib/client/chunks.ts). These tests cut
// the second part off, as a network lost while the page is still loading does, and check that the
// page waits it out instead of falling over, and says so plainly when it cannot.

/**
 * Makes every script chunk the page's HTML does not name fail as a lost network would, until the
 * returned function is called. Counts the failures, so a test knows the cut-off was hit.
 */
async function cutOffLaterChunks(page: Page): Promise<{ failures: () => number; restore: () => Promise<void> }> {
  const html = await (await page.request.get(page.url())).text();
  const named = new Set([...html.matchAll(/static\/chunks\/([\w.-]+\.js)/g)].map((match) => match[1]));
  expect(named.size).toBeGreaterThan(0);
  let failures = 0;
  const handler = async (route: import("@playwright/test").Route) => {
    const file = new URL(route.request().url()).pathname.split("/").pop()!;
    if (!file.endsWith(".js") || named.has(file)) return route.fallback();
    failures += 1;
    await route.abort("internetdisconnected");
  };
  await page.route("**/_next/static/chunks/**", handler);
  return { failures: () => failures, restore: () => page.unroute("**/_next/static/chunks/**", handler) };
}

/** Two people in a direct conversation, the second having written `text`, which the first has. */
async function twoWithAMessage(signUp: (name: string) => Promise<ChatUser>, names: [string, string], text: string): Promise<[ChatUser, ChatUser]> {
  const [reader, writer] = [await signUp(names[0]), await signUp(names[1])];
  await reader.chat.openDirect(writer.name);
  await writer.chat.open(reader.name);
  await writer.chat.send(text);
  await expect.poll(() => reader.chat.texts()).toEqual([text]);
  return [reader, writer];
}

test("the network lost while the chat is still fetching its code: the page waits, and comes up whole when it is back", async ({ signUp }) => {
  const [ada, bo] = await twoWithAMessage(signUp, ["Ada", "Bo"], "Before the reload");

  const { page } = ada.chat;
  const cut = await cutOffLaterChunks(page);
  await page.reload();
  // The server-rendered page is up; the parts fetched after it are not coming.
  await expect(page.getByRole("navigation", { name: "Conversations" })).toBeVisible();
  await expect.poll(cut.failures).toBeGreaterThan(0);
  await page.context().setOffline(true);
  await expect(ada.chat.status).toHaveText(/Offline|Connecting/);
  // Long enough for several rounds of failures: nothing crashes meanwhile.
  await page.waitForTimeout(6_000);
  await expect(page.getByRole("alert").filter({ hasText: "could not finish loading" })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Conversations" })).toBeVisible();

  await cut.restore();
  await page.context().setOffline(false);
  // Back online: the thread, the box and the engine arrive without a reload.
  await expect.poll(() => ada.chat.texts(), { timeout: 15_000 }).toEqual(["Before the reload"]);
  await ada.chat.waitConnected();
  await ada.chat.send("After the network came back");
  await expect.poll(() => bo.chat.texts(), { timeout: 10_000 }).toEqual(["Before the reload", "After the network came back"]);
  await expect(ada.chat.pending).toHaveCount(0);
});

test("code that stays out of reach with the browser online ends on a plain error screen with Reload, which brings the chat back", async ({ signUp }) => {
  const [cy, di] = await twoWithAMessage(signUp, ["Cy", "Di"], "Still here");

  const { page } = cy.chat;
  const cut = await cutOffLaterChunks(page);
  await page.reload();
  // Five failures while online, 1 + 2 + 4 + 8 s apart (lib/client/chunks.ts), then the error screen.
  const screen = page.getByRole("alert").filter({ hasText: "Parley could not finish loading" });
  await expect(screen).toBeVisible({ timeout: 30_000 });
  await expect(screen).toContainText("Reloading usually fixes it");
  await expect(screen).toContainText("kept on this device");

  await cut.restore();
  await screen.getByRole("button", { name: "Reload" }).click();
  await expect.poll(() => cy.chat.texts(), { timeout: 15_000 }).toEqual(["Still here"]);
  await cy.chat.waitConnected();
  await cy.chat.send("Back after the reload");
  await expect.poll(() => di.chat.texts(), { timeout: 10_000 }).toEqual(["Still here", "Back after the reload"]);
});
