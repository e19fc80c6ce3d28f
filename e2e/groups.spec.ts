import { expect, test } from "./fixtures";

test("group management: rename, add, remove and leave, as the other members see it live", async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  const cleo = await signUp("Cleo");
  const dan = await signUp("Dan");

  await ana.chat.createGroup("Book club", [ben.name, cleo.name]);
  await ben.chat.open("Book club");
  await expect(cleo.chat.conversation("Book club")).toBeVisible();

  // Any member renames; everyone sees the new name and a note of who did it.
  const panel = await ana.chat.groupDetails();
  await panel.getByLabel("Group name").fill("Reading circle");
  await panel.getByRole("button", { name: "Rename" }).click();
  await expect(ben.chat.page.getByRole("heading", { level: 1, name: "Reading circle" })).toBeVisible({ timeout: 1_000 });
  await expect(ben.chat.systemMessage(`${ana.name} renamed the group to “Reading circle”`)).toBeVisible();
  await expect(cleo.chat.conversation("Reading circle")).toBeVisible({ timeout: 1_000 });

  // Adding someone: it appears in their list at once.
  await panel.getByLabel("Add people").fill(dan.name);
  await panel.getByRole("button", { name: `Add ${dan.name} to the group` }).click();
  await expect(dan.chat.conversation("Reading circle")).toBeVisible({ timeout: 1_000 });
  await expect(ben.chat.systemMessage(`${ana.name} added ${dan.name}`)).toBeVisible({ timeout: 1_000 });

  // The owner removes Cleo, after saying yes to it: it leaves her list, and nothing said
  // afterwards reaches her.
  await panel.getByRole("button", { name: `Remove ${cleo.name} from the group` }).click();
  await panel.getByRole("button", { name: `Keep ${cleo.name}` }).click();
  await expect(cleo.chat.conversation("Reading circle")).toBeVisible();
  await panel.getByRole("button", { name: `Remove ${cleo.name} from the group` }).click();
  await expect(panel.getByRole("button", { name: `Yes, remove ${cleo.name}` })).toBeFocused();
  await panel.getByRole("button", { name: `Yes, remove ${cleo.name}` }).click();
  await expect(cleo.chat.conversation("Reading circle")).toHaveCount(0, { timeout: 1_000 });
  await ben.chat.send("Said after Cleo left");
  await dan.chat.open("Reading circle");
  await expect(dan.chat.message("Said after Cleo left")).toBeVisible({ timeout: 1_000 });
  await expect(cleo.chat.conversations).not.toContainText("Said after Cleo left");
  await cleo.chat.page.reload();
  await cleo.chat.waitConnected();
  await expect(cleo.chat.conversations).not.toContainText("Reading circle");
  // Even the old address shows her nothing.
  const address = new URL(ana.chat.page.url()).search;
  await cleo.chat.page.goto(`/chat${address}`);
  await expect(cleo.chat.page.getByRole("log", { name: "Messages" })).toHaveCount(0);
  await expect(cleo.chat.page.getByText("Said after Cleo left")).toHaveCount(0);

  // Only the owner sees Remove buttons.
  const bensPanel = await ben.chat.groupDetails();
  await expect(bensPanel.getByRole("button", { name: /^Remove / })).toHaveCount(0);

  // Leaving takes a confirmation, then the group is gone from Ben's list and the others see a note.
  await bensPanel.getByRole("button", { name: "Leave group" }).click();
  await bensPanel.getByRole("button", { name: "Leave for good" }).click();
  await expect(ben.chat.conversation("Reading circle")).toHaveCount(0, { timeout: 1_000 });
  await expect(dan.chat.systemMessage(`${ben.name} left`)).toBeVisible({ timeout: 1_000 });
});
