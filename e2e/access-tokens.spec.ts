// Personal access tokens from Settings, in real Chromium: made there (the secret shown once, to
// copy), used by a script with nothing but the token (its message reaches the other person's
// open chat live), listed without the secret, and revoked there, after which the token is refused.
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures";

test("a token made in Settings works for a script until it is revoked there", async ({ signUp, stack }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  const conversationId = new URL(ana.chat.page.url()).searchParams.get("c")!;
  await ben.chat.open(ana.name);

  let dialog = await ana.chat.settings();
  const section = dialog.getByTestId("access-tokens");
  await expect(section).toContainText("No tokens yet.");
  await section.getByRole("button", { name: "New token" }).click();
  const form = section.getByRole("form", { name: "New personal access token" });
  await form.getByLabel("Name").fill("Deploy bot");
  await form.getByLabel("Expires after").selectOption({ label: "90 days" });
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = section.getByTestId("new-token");
  await expect(shown).toContainText("it will not be shown again");
  const token = await shown.getByLabel("New token").inputValue();
  expect(token).toMatch(/^parley_pat_[a-f0-9]{24}_[A-Za-z0-9_-]{43}$/);
  const listed = section.getByRole("list", { name: "Personal access tokens" }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText("Deploy bot");
  await expect(listed.first()).toContainText(`…${token.slice(-4)}`);
  await expect(listed.first()).toContainText("write");

  // A script, with the token alone: its message reaches Ben's open chat live.
  const sent = await fetch(`${stack.webUrl}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ clientMsgId: randomUUID(), text: "deployed by the bot" }),
  });
  expect(sent.status).toBe(201);
  await expect(ben.chat.message("deployed by the bot")).toBeVisible();

  // Opened again, Settings lists it without its secret.
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  dialog = await ana.chat.settings();
  await expect(dialog.getByTestId("new-token")).toHaveCount(0);
  await expect(dialog.getByTestId("access-tokens")).not.toContainText(token);
  const row = dialog.getByRole("list", { name: "Personal access tokens" }).getByRole("listitem").first();
  await expect(row).toContainText("last used");
  await row.getByRole("button", { name: "Revoke Deploy bot" }).click();
  await row.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(dialog.getByTestId("access-tokens")).toContainText("No tokens yet.");

  const refused = await fetch(`${stack.webUrl}/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
});
