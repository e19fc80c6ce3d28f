import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/chromium";

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
    launchOptions: chromiumLaunchOptions,
  },
});
