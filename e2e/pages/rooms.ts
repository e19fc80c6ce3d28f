import { expect, type Locator, type Page } from "@playwright/test";
import type { ChatUser } from "../fixtures";

/** The room directory, previews and a room's details, as a person uses them: by labels, roles and names. */
export class RoomsPage {
  constructor(readonly page: Page) {}

  get directory(): Locator {
    return this.page.getByRole("dialog", { name: "Rooms" });
  }

  get previewDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Room preview" });
  }

  /** Opens the directory (idempotent). */
  async openDirectory(): Promise<Locator> {
    if (!(await this.directory.isVisible())) await this.page.getByRole("button", { name: "Browse rooms" }).click();
    await expect(this.directory).toBeVisible();
    return this.directory;
  }

  /** A room's row in the open directory. */
  row(name: string): Locator {
    return this.directory.getByRole("list", { name: "Public rooms" }).getByRole("button", { name: new RegExp(name) });
  }

  async create(name: string, topic: string, { isPublic = true } = {}) {
    const directory = await this.openDirectory();
    await directory.getByRole("button", { name: "Create room" }).click();
    const form = this.page.getByRole("dialog", { name: "Create a room" });
    await form.getByLabel("Room name").fill(name);
    await form.getByLabel(/^Topic/).fill(topic);
    if (!isPublic) await form.getByLabel(/^Public/).uncheck();
    await form.getByRole("button", { name: "Create room" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  async preview(name: string): Promise<Locator> {
    await this.row(name).click();
    await expect(this.previewDialog).toBeVisible();
    return this.previewDialog;
  }

  /** "N members" under the open room's title. */
  get headerCount(): Locator {
    return this.page.getByTestId("room-count");
  }

  async details(): Promise<Locator> {
    const panel = this.page.getByRole("region", { name: "Room details" });
    if (!(await panel.isVisible())) await this.page.getByRole("button", { name: "Room details" }).click();
    await expect(panel).toBeVisible();
    return panel;
  }

  async leave() {
    const panel = await this.details();
    await panel.getByRole("button", { name: "Leave room" }).click();
    await panel.getByRole("button", { name: "Leave for good" }).click();
  }
}

/**
 * The shared opening of the rooms scenario (issue 16): A creates a public room while B waits on
 * the directory, B sees it appear live, previews it and joins; both see "B joined" and the count 2.
 * Other specs (search) continue from what it returns.
 */
export async function aCreatesRoomBJoins(a: ChatUser, b: ChatUser, { name, topic, said }: { name: string; topic: string; said: string }) {
  const aRooms = new RoomsPage(a.chat.page);
  const bRooms = new RoomsPage(b.chat.page);
  await bRooms.openDirectory();
  await aRooms.create(name, topic);
  await a.chat.send(said);
  await expect(a.chat.message(said)).toBeVisible();
  // Live: B's open directory shows it without a reload.
  await expect(bRooms.row(name)).toBeVisible({ timeout: 3_000 });
  await expect(bRooms.row(name)).toContainText(topic);
  await expect(bRooms.row(name)).toContainText("1 member");
  const preview = await bRooms.preview(name);
  await expect(preview.getByText(said)).toBeVisible();
  await expect(preview.getByTestId("preview-count")).toHaveText("1 member");
  // A preview offers nothing to write with.
  await expect(b.chat.page.getByRole("textbox", { name: /^Message\b/ })).toHaveCount(0);
  await preview.getByRole("button", { name: "Join room" }).click();
  await expect(b.chat.page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(a.chat.systemMessage(`${b.name} joined`)).toBeVisible({ timeout: 3_000 });
  await expect(b.chat.systemMessage(`${b.name} joined`)).toBeVisible({ timeout: 3_000 });
  await expect(aRooms.headerCount).toHaveText("2 members", { timeout: 3_000 });
  await expect(bRooms.headerCount).toHaveText("2 members", { timeout: 3_000 });
  return { aRooms, bRooms };
}
