import { expect, type Locator, type Page } from "@playwright/test";

/** The chat screen as a person uses it: found by labels, roles and names only. */
export class ChatPage {
  constructor(readonly page: Page) {}

  get conversations(): Locator {
    return this.page.getByRole("navigation", { name: "Conversations" });
  }

  get messages(): Locator {
    return this.page.getByRole("log", { name: "Messages" });
  }

  get status(): Locator {
    return this.page.getByRole("status");
  }

  async waitConnected() {
    await expect(this.status).toHaveText("Connected", { timeout: 15_000 });
  }

  conversation(title: string): Locator {
    return this.conversations.getByRole("link", { name: new RegExp(title) });
  }

  unreadBadge(title: string): Locator {
    return this.conversation(title).getByTestId("unread-count");
  }

  async openDirect(name: string) {
    await this.page.getByLabel("Search people").fill(name);
    await this.page.getByRole("button", { name: `Message ${name}` }).click();
    await expect(this.page.getByRole("heading", { level: 1, name })).toBeVisible();
  }

  async createGroup(groupName: string, members: string[]) {
    await this.page.getByRole("button", { name: "New group" }).click();
    for (const member of members) {
      await this.page.getByLabel("Search people").fill(member);
      await this.page.getByRole("button", { name: `Add ${member}` }).click();
    }
    await this.page.getByLabel("Group name").fill(groupName);
    await this.page.getByRole("button", { name: "Create group" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  }

  async open(title: string) {
    await this.conversation(title).click();
    await expect(this.page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  }

  async send(text: string) {
    await this.page.getByLabel("Message", { exact: true }).fill(text);
    await this.page.getByRole("button", { name: "Send" }).click();
  }

  /** A stored message (not the pending copy) with this exact text. */
  message(text: string): Locator {
    return this.messages.locator("article[data-stored]").filter({ has: this.page.getByTestId("message-text").getByText(text, { exact: true }) });
  }

  /** Messages still in the outbox (sending or failed), in the order shown. */
  get pending(): Locator {
    return this.messages.locator("article:not([data-stored])");
  }

  /** A note recording a change to the group (renamed, added, removed, left). */
  systemMessage(text: string | RegExp): Locator {
    return this.messages.getByTestId("system-message").filter({ hasText: text });
  }

  /** Opens the group details panel of the open group (idempotent). */
  async groupDetails(): Promise<Locator> {
    const panel = this.page.getByRole("region", { name: "Group details" });
    if (!(await panel.isVisible())) await this.page.getByRole("button", { name: "Group details" }).click();
    await expect(panel).toBeVisible();
    return panel;
  }

  /** "Ana is typing…" above the composer of the open conversation (empty when nobody is). */
  get typing(): Locator {
    return this.page.getByTestId("typing-indicator");
  }

  /** The green dot beside a conversation in the list: the other person is online. */
  onlineDot(title: string): Locator {
    return this.conversation(title).getByRole("img", { name: "online" });
  }

  /** "online" or "last seen …" under the open direct conversation's title. */
  get presenceStatus(): Locator {
    return this.page.getByTestId("presence-status");
  }

  /** The message box. Its accessible name takes in what it holds ("Message Hel…"), so it is matched by its start. */
  get composer(): Locator {
    return this.page.getByRole("textbox", { name: /^Message\b/ });
  }

  /** Chooses an action from a message's menu (Edit, Pin, Unpin, Copy text, Delete), as a mouse user does. */
  async messageMenu(textOrMessage: string | Locator, action: string) {
    const message = typeof textOrMessage === "string" ? this.message(textOrMessage) : textOrMessage;
    await this.openMessageMenu(message);
    await this.page.getByRole("menu", { name: "Message actions menu" }).getByRole("menuitem", { name: action, exact: true }).click();
  }

  /** Opens a message's menu and returns it. */
  async openMessageMenu(message: Locator): Promise<Locator> {
    await message.hover();
    await message.getByRole("button", { name: "More actions" }).click();
    const menu = this.page.getByRole("menu", { name: "Message actions menu" });
    await expect(menu).toBeVisible();
    return menu;
  }

  /** Opens the Settings dialog (profile, theme, read receipts, notifications, sign out). */
  async settings(): Promise<Locator> {
    const dialog = this.page.getByRole("dialog", { name: "Settings" });
    if (await dialog.isVisible()) return dialog;
    await this.page.getByRole("button", { name: "Settings" }).click();
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async texts(): Promise<string[]> {
    return this.messages.locator("article[data-stored]").getByTestId("message-text").allInnerTexts();
  }
}
