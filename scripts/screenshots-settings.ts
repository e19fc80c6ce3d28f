// Looking at Settings' newer sections, at desktop and phone sizes in both themes:
//   - push: a person with two devices that get notifications, with notifications allowed (the
//     section's "on" states need a push service this machine cannot reach, so the list is seeded
//     through the API);
//   - developer access: two personal access tokens listed, and a third just made, its secret
//     shown once.
//
//   npm run build && npx tsx scripts/screenshots-settings.ts [outDir]    (default .data/shots)
//
// A developer's tool, not a test: it asserts nothing and leaves the pictures for a person to judge.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { chromiumLaunchOptions } from "../e2e/chromium";
import { PushEndpoint } from "../test/support/push-endpoint";
import { startStack } from "../test/support/stack";
import { createUser } from "../test/support/users";

const outDir = path.resolve(process.argv[2] ?? ".data/shots");
mkdirSync(outDir, { recursive: true });
const stack = await startStack();
const endpoint = new PushEndpoint(stack.env.VAPID_PUBLIC_KEY!);
await endpoint.start();
try {
  const ana = await createUser(stack, "Ana Lima");
  for (const agent of ["Mozilla/5.0 (Linux; Android 15; Pixel 9) Chrome/140.0 Mobile Safari/537.36", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Version/18.0 Safari/605.1.15"]) {
    const response = await ana.api("/api/push/subscriptions", { method: "POST", body: JSON.stringify(endpoint.subscribe(agent)), headers: { "user-agent": agent } });
    if (!response.ok) throw new Error(`subscribe: ${response.status}`);
  }
  for (const token of [{ name: "Deploy notifier", scopes: ["read", "write"], expiresInDays: null }, { name: "Analytics export", scopes: ["read"], expiresInDays: 90 }]) {
    const response = await ana.api("/api/tokens", { method: "POST", body: JSON.stringify(token), headers: { origin: stack.webUrl } });
    if (!response.ok) throw new Error(`token: ${response.status}`);
  }
  const browser = await chromium.launch(chromiumLaunchOptions);
  for (const [label, viewport] of [["desktop", { width: 1440, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ baseURL: stack.webUrl, viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      await context.grantPermissions(["notifications"]);
      await context.addCookies(ana.cookie.split("; ").map((pair) => {
        const [name, ...rest] = pair.split("=");
        return { name: name!, value: rest.join("="), url: stack.webUrl };
      }));
      const page = await context.newPage();
      await page.goto("/chat");
      await page.getByRole("button", { name: "Settings" }).click();
      const section = page.getByTestId("push-settings");
      await section.waitFor();
      await section.scrollIntoViewIfNeeded();
      await page.waitForTimeout(400);
      const file = path.join(outDir, `push-settings-${label}-${scheme}.png`);
      await page.screenshot({ path: file });
      console.log(file);

      const tokens = page.getByTestId("access-tokens");
      await tokens.getByRole("button", { name: "New token" }).click();
      await tokens.getByLabel("Name").fill("Standup bot");
      await tokens.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const form = path.join(outDir, `tokens-new-${label}-${scheme}.png`);
      await page.screenshot({ path: form });
      console.log(form);
      await tokens.getByRole("button", { name: "Create token" }).click();
      await tokens.getByTestId("new-token").waitFor();
      await tokens.getByTestId("new-token").scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const made = path.join(outDir, `tokens-made-${label}-${scheme}.png`);
      await page.screenshot({ path: made });
      console.log(made);
      await context.close();
    }
  }
  await browser.close();
} finally {
  await endpoint.stop();
  await stack.stop();
}
