// Looking at /docs/api: a stack of its own, nobody signed in, the page captured at desktop and phone
// sizes in both themes, at its top and at a few entries, into .data/shots/ (or the directory given).
// Says on stderr what the browser reported (a CSP violation, a failed load) and whether the page
// came with its Content-Security-Policy.
//
//   npm run build && npx tsx scripts/screenshots-api-docs.ts [outDir]
//
// A developer's tool, not a test: it leaves the pictures for a person to judge.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startStack } from "../test/support/stack";

const outDir = path.resolve(process.argv[2] ?? ".data/shots");
const spots = { top: "", route: "#postConversationsByIdMessages", request: "#socket-callInvite", shape: "#shape-MessageDto" };

const stack = await startStack();
try {
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  for (const [label, viewport] of [["desktop", { width: 1440, height: 900 }], ["phone", { width: 390, height: 844 }]] as const) {
    for (const theme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      await context.addCookies([{ name: "parley-theme", value: theme, url: stack.webUrl }]);
      const page = await context.newPage();
      page.on("console", (message) => message.type() === "error" && console.error(`[${label}-${theme}] console: ${message.text()}`));
      page.on("pageerror", (error) => console.error(`[${label}-${theme}] page error: ${error.message}`));
      for (const [spot, hash] of Object.entries(spots)) {
        const response = await page.goto(`${stack.webUrl}/docs/api${hash}`);
        if (spot === "top") console.error(`[${label}-${theme}] ${response?.status()} csp: ${response?.headers()["content-security-policy"] ? "yes" : "MISSING"}`);
        await page.waitForTimeout(300);
        const file = path.join(outDir, `api-docs-${spot}-${label}-${theme}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
  await browser.close();
} finally {
  await stack.stop();
}
