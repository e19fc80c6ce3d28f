import { randomBytes } from "node:crypto";
import { test as base, expect, type Browser } from "@playwright/test";
import { startStack, type Stack, type StackOptions } from "../test/support/stack";
import { guardContext, type Guard } from "./guards";
import { ChatPage } from "./pages/chat-page";

export type ChatUser = { name: string; email: string; password: string; chat: ChatPage; guard: Guard };

type WorkerFixtures = {
  stack: Stack;
  /**
   * How the worker's stack starts. A spec that needs another environment overrides it (with
   * `test.use`, or a fixture in `test.extend` when the values come from something started first),
   * and Playwright gives that spec a worker, and a stack, of its own.
   */
  stackOptions: StackOptions;
};
type SignUpOptions = {
  exactName?: boolean;
  /** A chosen address (default: one made from the name), for tests about what it shows. */
  email?: string;
  /** The person's screen: 1280×720 unless said (a phone is 390×844). */
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
};
type TestFixtures = { signUp: (name: string, options?: SignUpOptions) => Promise<ChatUser> };

/** Signs a new person up through the real form, in a browser context of their own. */
async function signUpUser(browser: Browser, stack: Stack, name: string, { viewport, colorScheme, email: chosenEmail }: SignUpOptions = {}): Promise<ChatUser> {
  const context = await browser.newContext({ baseURL: stack.webUrl, ...(viewport ? { viewport } : {}), ...(colorScheme ? { colorScheme } : {}) });
  const guard = await guardContext(context);
  const page = await context.newPage();
  // Names may be anything a person types (the XSS battery signs up with markup); emails may not.
  const local = name.toLowerCase().replace(/[^a-z0-9]+/g, "") || "user";
  const email = chosenEmail ?? `${local}.${randomBytes(4).toString("hex")}@example.test`;
  const password = `secret-${randomBytes(6).toString("hex")}`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/chat");
  const chat = new ChatPage(page);
  await chat.waitConnected();
  return { name, email, password, chat, guard };
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stackOptions: [{}, { scope: "worker", option: true }],
  stack: [
    async ({ stackOptions }, provide) => {
      const stack = await startStack(stackOptions);
      await provide(stack);
      await stack.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
  signUp: async ({ browser, stack }, provide) => {
    const contexts: ChatUser[] = [];
    await provide(async (name, options = {}) => {
      // 8 hex characters: with 4, two "Ben"s of one worker's stack met once in a CI run, and a name search found both.
      const user = await signUpUser(browser, stack, options.exactName ? name : `${name}${randomBytes(4).toString("hex")}`, options);
      contexts.push(user);
      return user;
    });
    await Promise.all(contexts.map((user) => user.chat.page.context().close()));
    // Every test that signs someone up also proves the pages it used run under the CSP untouched.
    for (const user of contexts) expect(user.guard.cspViolations, `CSP violations seen by ${user.name}`).toEqual([]);
  },
});

export { expect };
