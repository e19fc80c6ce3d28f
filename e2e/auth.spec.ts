import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { guardContext } from "./guards";

const RULE = "At least 8 characters.";

/** The sign-up form's fields, found by their labels. */
const signUpFields = (page: Page) => ({
  name: page.getByLabel("Name"),
  email: page.getByLabel("Email"),
  password: page.getByLabel("Password"),
  submit: page.getByRole("button", { name: "Sign up" }),
  alert: page.locator("form").getByRole("alert"),
});

test("sign-up says the password rule first, shows each error beside its field and keeps what was typed", async ({ browser, stack, signUp }) => {
  const taken = await signUp("Lea");
  const context = await browser.newContext({ baseURL: stack.webUrl });
  const guard = await guardContext(context);
  const page = await context.newPage();

  // Signed out, the chat sends you to sign in.
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in/);

  await page.goto("/sign-up");
  const form = signUpFields(page);
  // The rule is on the page, and read out with the field, before anything is typed.
  await expect(page.getByText(RULE)).toBeVisible();
  await expect(form.password).toHaveAccessibleDescription(RULE);
  for (const field of [form.name, form.email, form.password]) await expect(field).not.toHaveAttribute("aria-invalid");

  // Everything wrong at once: every field says what, and focus goes to the first.
  await form.email.fill("not-an-email");
  await form.password.fill("short");
  await form.submit.click();
  await expect(form.name).toHaveAttribute("aria-invalid", "true");
  await expect(form.name).toHaveAccessibleDescription("Enter your name");
  await expect(form.email).toHaveAttribute("aria-invalid", "true");
  await expect(form.email).toHaveAccessibleDescription("Enter a valid email address");
  await expect(form.password).toHaveAttribute("aria-invalid", "true");
  await expect(form.password).toHaveAccessibleDescription(`${RULE} Password must be at least 8 characters`);
  await expect(form.name).toBeFocused();
  await expect(form.alert).toHaveCount(0);
  // What was typed is still there to fix, the password too.
  await expect(form.email).toHaveValue("not-an-email");
  await expect(form.password).toHaveValue("short");

  // Fixing a field takes its error away; the others keep theirs until the next try.
  await form.name.fill("Max");
  await expect(form.name).not.toHaveAttribute("aria-invalid");
  await expect(form.name).toHaveAccessibleDescription("");
  await expect(form.email).toHaveAttribute("aria-invalid", "true");

  // A taken email (whatever its case) is the email field's problem; the rest stays as typed.
  await form.email.fill(taken.email.toUpperCase());
  await form.password.fill("long enough password");
  await form.submit.click();
  await expect(form.email).toHaveAttribute("aria-invalid", "true");
  await expect(form.email).toHaveAccessibleDescription("An account with this email already exists");
  await expect(form.email).toBeFocused();
  await expect(form.name).not.toHaveAttribute("aria-invalid");
  await expect(form.password).not.toHaveAttribute("aria-invalid");
  await expect(form.name).toHaveValue("Max");
  await expect(form.password).toHaveValue("long enough password");

  // Fixed, it goes through.
  await form.email.fill(`max.${randomBytes(4).toString("hex")}@example.test`);
  await form.submit.click();
  await expect(page).toHaveURL(/\/chat/);
  await context.close();
  expect(guard.cspViolations).toEqual([]);
});

test("sign-in keeps the email, clears only a wrong password, and sign-out ends the session", async ({ browser, stack, signUp }) => {
  const taken = await signUp("Noa");
  const context = await browser.newContext({ baseURL: stack.webUrl });
  const guard = await guardContext(context);
  const page = await context.newPage();
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password");
  const submit = page.getByRole("button", { name: "Sign in" });
  const alert = page.locator("form").getByRole("alert");

  await page.goto("/sign-in");
  // Empty fields are said beside the fields, before asking the server anything.
  await submit.click();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter your email");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription("Enter your password");
  await expect(email).toBeFocused();

  // A wrong password: one message for the form (which of the two is wrong is never said), the
  // email kept, the password emptied and focused for another try.
  await email.fill(taken.email);
  await password.fill("not the password");
  await submit.click();
  await expect(alert).toHaveText("Wrong email or password");
  await expect(email).toHaveValue(taken.email);
  await expect(password).toHaveValue("");
  await expect(password).toBeFocused();
  await expect(email).not.toHaveAttribute("aria-invalid");

  await password.fill(taken.password);
  await submit.click();
  await expect(page).toHaveURL(/\/chat/);
  await expect(page.getByRole("status")).toHaveText("Connected", { timeout: 15_000 });

  await page.getByRole("button", { name: "Settings" }).click();
  await page.getByRole("dialog", { name: "Settings" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/chat");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
  expect(guard.cspViolations).toEqual([]);
});
