import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium when present (no browser download on this kind of machine); otherwise
// Playwright's own, for developers who ran `npx playwright install`.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  // One stack per worker (see e2e/fixtures.ts); two cores do not fit more than one.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Hidden tabs must not be throttled: two users share one browser in these tests.
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
      ],
    },
  },
});
