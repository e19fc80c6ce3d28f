// How the suites launch Chromium: Debian's when present (no browser download on this kind of
// machine), otherwise Playwright's own for developers who ran `npx playwright install`; and the
// flags every suite needs.
import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
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
} satisfies LaunchOptions;
