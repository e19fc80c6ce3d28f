// Message search in the browser: the box in the sidebar, highlights, operators, paging, search
// inside the open conversation, and opening a conversation at a result (a window around it, with
// older messages above and newer ones loadable below). The index is written just after a send,
// so searches are repeated until what was sent is found.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { results, search, searchBox } from "./pages/search";

const DESKTOP = { width: 1440, height: 900 };

const conversationIdOf = (page: Page) => new URL(page.url()).searchParams.get("c")!;

/** Messages written through the public route (fast, for long histories), as the signed-in user of `page`. */
async function postMessages(page: Page, conversationId: string, texts: string[]) {
  for (const text of texts) {
    const response = await page.request.post(`/api/conversations/${conversationId}/messages`, { data: { clientMsgId: randomUUID(), text } });
    expect(response.status()).toBe(201);
  }
}

test("finds a word by its start in any case and accents, highlights it, and opens the conversation at that message with older above and newer below", async ({ signUp }) => {
  const ben = await signUp("Ben", { viewport: DESKTOP });
  const ana = await signUp("Ana");
  await ana.chat.openDirect(ben.name);
  const conversationId = conversationIdOf(ana.chat.page);
  await postMessages(ana.chat.page, conversationId, Array.from({ length: 30 }, (_, i) => `before ${i + 1}`));
  await postMessages(ana.chat.page, conversationId, ["Le Déploiement de vendredi est prêt"]);
  await postMessages(ana.chat.page, conversationId, Array.from({ length: 40 }, (_, i) => `after ${i + 1}`));
  const { page } = ben.chat;
  await expect(ben.chat.conversation(ana.name)).toBeVisible();

  // "deploi" begins "Déploiement": typed in capitals, without the accent.
  await search(ben, "DEPLOI", 1);
  const result = results(ben).first();
  await expect(result).toContainText(ana.name);
  await expect(result.locator("mark")).toHaveText("Déploiement");
  await expect(page.getByText("1 message", { exact: true })).toBeVisible();

  await result.click();
  await expect(page.getByRole("heading", { level: 1, name: ana.name })).toBeVisible();
  const target = ben.chat.message("Le Déploiement de vendredi est prêt");
  await expect(target).toHaveAttribute("data-highlighted", "true");
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  // Its tool bar does not come with the focus (on a phone it would cover the first line), only with a hover.
  const tools = target.getByRole("group", { name: "Message actions" });
  await expect(tools).toHaveCSS("opacity", "0");
  await target.hover();
  await expect(tools).toHaveCSS("opacity", "1");
  // A window around it: older messages above, the newest ones not yet (nothing looks contiguous that is not).
  await expect(ben.chat.message("before 10")).toBeAttached();
  await expect(ben.chat.message("after 40")).toHaveCount(0);
  const jump = page.getByTestId("jump-to-bottom");
  await expect(jump).toBeVisible();

  // A message sent meanwhile is counted on the jump-to-latest button, not shown after the window.
  await postMessages(ana.chat.page, conversationId, ["sent while Ben reads the past"]);
  await expect(page.getByTestId("jump-count")).toHaveText("1");
  await expect(ben.chat.message("sent while Ben reads the past")).toHaveCount(0);

  // Scrolling down loads newer pages until the end, the live message included.
  await expect(async () => {
    await ben.chat.messages.locator("article[data-stored]").last().scrollIntoViewIfNeeded();
    await expect(ben.chat.message("sent while Ben reads the past")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(ben.chat.message("after 40")).toBeAttached();
  await expect(page.getByRole("button", { name: "Load newer" })).toHaveCount(0);
  // At the end again: a new message shows at once.
  await postMessages(ana.chat.page, conversationId, ["and now live again"]);
  await expect(ben.chat.message("and now live again")).toBeVisible();
});

test("jump to latest from a window reloads the newest page, and reading the window leaves newer messages unread", async ({ signUp }) => {
  const ben = await signUp("Ben", { viewport: DESKTOP });
  const ana = await signUp("Ana");
  await ana.chat.openDirect(ben.name);
  const conversationId = conversationIdOf(ana.chat.page);
  await postMessages(ana.chat.page, conversationId, ["the quokka memo", ...Array.from({ length: 60 }, (_, i) => `filler ${i + 1}`)]);
  await expect(ben.chat.unreadBadge(ana.name)).toHaveText("61");

  await search(ben, "quokka", 1);
  await searchBox(ben).press("ArrowDown");
  await searchBox(ben).press("Enter");
  const target = ben.chat.message("the quokka memo");
  await expect(target).toBeInViewport();
  // What was on screen is read; the 35 messages beyond the window (seqs 27-61) are not.
  await ben.chat.page.getByRole("button", { name: "Close search" }).click();
  const badge = ben.chat.unreadBadge(ana.name);
  await expect.poll(async () => Number(await badge.textContent()), { timeout: 5_000 }).toBeLessThan(61);
  expect(Number(await badge.textContent())).toBeGreaterThanOrEqual(35);

  await ben.chat.page.getByTestId("jump-to-bottom").click();
  await expect(ben.chat.message("filler 60")).toBeInViewport();
  // At the end again: nothing newer to load, and everything is read.
  await expect(ben.chat.page.getByRole("button", { name: "Load newer" })).toHaveCount(0);
  await expect(ben.chat.unreadBadge(ana.name)).toHaveCount(0);
});

test("operators narrow the results, a bad one says what to write, and More results pages on", async ({ signUp }) => {
  const ben = await signUp("Ben", { viewport: DESKTOP });
  const ana = await signUp("Ana");
  await ana.chat.openDirect(ben.name);
  const conversationId = conversationIdOf(ana.chat.page);
  await postMessages(ana.chat.page, conversationId, Array.from({ length: 24 }, (_, i) => `walrus number ${i + 1}`));
  await ben.chat.open(ana.name);
  await postMessages(ben.chat.page, conversationId, ["a walrus of my own, see https://example.com/walrus"]);

  await search(ben, "walrus", 20);
  await expect(results(ben).first()).toContainText("a walrus of my own");
  await ben.chat.page.getByRole("button", { name: "More results" }).click();
  await expect(results(ben)).toHaveCount(25);
  await expect(ben.chat.page.getByRole("button", { name: "More results" })).toHaveCount(0);

  await search(ben, `walrus from:${ana.name}`, 20);
  await expect(results(ben).filter({ hasText: "a walrus of my own" })).toHaveCount(0);
  await search(ben, "walrus has:link", 1);
  await expect(results(ben).first().locator("mark")).toHaveText(["walrus", "walrus"]);

  await searchBox(ben).fill("walrus has:pdf");
  await expect(ben.chat.page.getByRole("alert").filter({ hasText: "has: takes file, image, link" })).toBeVisible();
  await expect(results(ben)).toHaveCount(0);

  // The operators' help puts an example into the box; Escape closes it, then clears, then closes the search.
  await searchBox(ben).fill("walrus");
  await ben.chat.page.getByRole("button", { name: "Search operators" }).click();
  const help = ben.chat.page.getByRole("dialog", { name: "Search operators" });
  await expect(help).toContainText("has:link");
  await help.getByRole("button", { name: "Add has:link to the search" }).click();
  await expect(searchBox(ben)).toHaveValue("walrus has:link");
  await expect(results(ben)).toHaveCount(1);
  await searchBox(ben).press("Escape");
  await expect(searchBox(ben)).toHaveValue("");
  await expect(ben.chat.conversations).toBeVisible();
});

test("searches inside the open conversation from its header, shown as a chip that widens the search when removed", async ({ signUp }) => {
  const ben = await signUp("Ben", { viewport: DESKTOP });
  const ana = await signUp("Ana");
  const cy = await signUp("Cy");
  await ana.chat.openDirect(ben.name);
  await postMessages(ana.chat.page, conversationIdOf(ana.chat.page), ["a kumquat from Ana"]);
  await cy.chat.openDirect(ben.name);
  await postMessages(cy.chat.page, conversationIdOf(cy.chat.page), ["a kumquat from Cy"]);
  const { page } = ben.chat;
  await search(ben, "kumquat", 2);
  await searchBox(ben).press("Escape");
  await searchBox(ben).press("Escape");

  await ben.chat.open(ana.name);
  await page.getByRole("button", { name: `Search in ${ana.name}` }).click();
  await expect(page.getByTestId("search-scope")).toHaveText(new RegExp(`in ${ana.name}`));
  await expect(page.getByRole("combobox", { name: `Search messages in ${ana.name}` })).toBeFocused();
  await search(ben, "kumquat", 1);
  await expect(results(ben).first()).toContainText("a kumquat from Ana");

  await page.getByRole("button", { name: `Search all conversations, not only ${ana.name}` }).click();
  await expect(page.getByTestId("search-scope")).toHaveCount(0);
  await expect(results(ben)).toHaveCount(2);
  // Ctrl+K comes back to the box from anywhere.
  await ben.chat.composer.focus();
  await page.keyboard.press("Control+k");
  await expect(searchBox(ben)).toBeFocused();
});
