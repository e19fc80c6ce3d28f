// Rate limits as a person meets them, on a stack with small limits: messages sent faster than
// allowed wait in the outbox and arrive once each, in order; the sign-in and sign-up forms say
// why they refuse.
import { randomBytes } from "node:crypto";
import { startStack, type Stack } from "../test/support/stack";
import { expect, test as base } from "./fixtures";
import { guardContext } from "./guards";

const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, provide) => {
      const stack = await startStack({
        rateLimits: "production",
        env: {
          // 3 at once, then 1 a second: one window of 3 lasting 3 s.
          RATE_LIMIT_MESSAGES_PER_SECOND: "1",
          RATE_LIMIT_MESSAGES_BURST: "3",
          RATE_LIMIT_SIGN_IN_PER_EMAIL: "2/900",
          RATE_LIMIT_SIGN_UP_PER_IP: "3/3600",
        },
      });
      await provide(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

test("messages sent faster than the limit wait, then arrive exactly once, in order", async ({ signUp }) => {
  const amy = await signUp("Amy");
  const ben = await signUp("Ben");
  await amy.chat.openDirect(ben.name);
  await ben.chat.open(amy.name);
  const refusals: string[] = [];
  amy.chat.page.on("websocket", (ws) => ws.on("framereceived", ({ payload }) => void (String(payload).includes("RATE_LIMITED") && refusals.push(String(payload)))));
  // The socket connected before the listener: reconnect it so its frames are seen.
  await amy.chat.page.reload();
  await amy.chat.waitConnected();
  await amy.chat.open(ben.name);

  const texts = Array.from({ length: 7 }, (_, i) => `Quick ${i + 1}`);
  for (const text of texts) await amy.chat.send(text);
  await expect.poll(() => ben.chat.texts(), { timeout: 20_000 }).toEqual(texts);
  await expect(amy.chat.pending).toHaveCount(0);
  expect(refusals.length, "the limit was reached at least once").toBeGreaterThan(0);
  await ben.chat.page.reload();
  await expect.poll(() => ben.chat.texts(), { timeout: 10_000 }).toEqual(texts);
});

test("the sign-up and sign-in forms say when they are rate limited", async ({ browser, stack, signUp }) => {
  const cy = await signUp("Cy");
  // Whatever this address has left of its sign-ups is spent (the other test may have used some).
  for (let i = 0; i < 3; i += 1) {
    const response = await fetch(`${stack.webUrl}/api/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Filler", email: `filler.${randomBytes(4).toString("hex")}@example.test`, password: "long enough password" }),
    });
    if (response.status === 429) break;
  }
  const context = await browser.newContext({ baseURL: stack.webUrl });
  const guard = await guardContext(context);
  const page = await context.newPage();

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Dot");
  await page.getByLabel("Email").fill(`dot.${randomBytes(4).toString("hex")}@example.test`);
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^Too many sign-ups from this network; try again in \d+ minutes$/);

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(cy.email);
  for (let i = 0; i < 2; i += 1) {
    await page.getByLabel("Password").fill(`not the password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  // Limited now: even the right password is refused, and the form says why.
  await page.getByLabel("Password").fill(cy.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^Too many failed sign-ins for this email; try again in \d+ minutes\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
  expect(guard.cspViolations).toEqual([]);
});
