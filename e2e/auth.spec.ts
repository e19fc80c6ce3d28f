import { expect, test } from "./fixtures";
import { guardContext } from "./guards";

test("sign-up and sign-in explain what is wrong, and sign-out ends the session", async ({ browser, stack, signUp }) => {
  const taken = await signUp("Lea");
  const context = await browser.newContext({ baseURL: stack.webUrl });
  const guard = await guardContext(context);
  const page = await context.newPage();

  // Signed out, the chat sends you to sign in.
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Max");
  await page.getByLabel("Email").fill(`max.${Date.now()}@example.test`);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Password must be at least 8 characters");

  await page.getByLabel("Email").fill(taken.email.toUpperCase());
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("An account with this email already exists");

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(taken.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password");

  await page.getByLabel("Password").fill(taken.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/chat/);
  await expect(page.getByRole("status")).toHaveText("Connected", { timeout: 15_000 });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
  expect(guard.cspViolations).toEqual([]);
});
