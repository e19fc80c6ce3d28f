// The search scenes for scripts/screenshots.ts: results with highlighted words, the operators'
// help, a search inside the open conversation, and a conversation opened at an old result.
import type { Page } from "@playwright/test";

const box = (page: Page) => page.getByRole("combobox", { name: /^Search messages/ });
const results = (page: Page) => page.getByRole("option");

/** Types `query` until results show (the index is written just after a send). */
async function searchFor(page: Page, query: string) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await box(page).fill("");
    await box(page).fill(query);
    if (await results(page).first().waitFor({ timeout: 1_500 }).then(() => true, () => false)) return;
  }
}

/** Each scene: where it starts ("list" or the direct conversation) and what is done before the picture. */
export const searchScenes: Record<string, { at: "list" | "direct"; prepare: (page: Page) => Promise<void> }> = {
  "search-results": { at: "list", prepare: (page) => searchFor(page, "the relay") },
  "search-help": {
    at: "list",
    prepare: async (page) => {
      await searchFor(page, "build");
      await page.getByRole("button", { name: "Search operators" }).click();
    },
  },
  "search-in-conversation": {
    at: "direct",
    prepare: async (page) => {
      await page.getByRole("button", { name: /^Search in / }).click();
      await searchFor(page, "coalescer");
    },
  },
  "search-jump": {
    at: "list",
    prepare: async (page) => {
      await searchFor(page, "flaky");
      // The oldest result: the conversation opens days back, at that message.
      await results(page).last().click();
      // A finger leaves nothing hovered behind; the emulated mouse would.
      await page.mouse.move(0, 0);
      await page.locator("article[data-highlighted]").waitFor({ timeout: 5_000 }).catch(() => undefined);
      await page.waitForTimeout(300);
    },
  },
};
