import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test, type ChatUser } from "./fixtures";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/** The element that has keyboard focus, described well enough to assert on; never <body>. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return "body";
    return [element.tagName.toLowerCase(), element.getAttribute("aria-label") ?? element.getAttribute("name") ?? element.id ?? ""].join(":");
  });
}

/** Ben sends `count` numbered messages to Ana, through his own screen. */
async function sendMany(ben: ChatUser, prefix: string, count: number) {
  for (let i = 1; i <= count; i += 1) await ben.chat.send(`${prefix} ${i}`);
  await expect(ben.chat.message(`${prefix} ${count}`)).toBeVisible({ timeout: 10_000 });
}

test("on a phone one pane shows at a time, Back and the browser's Back return to the list, and the URL names the conversation", async ({ signUp }) => {
  const ben = await signUp("Ben");
  const ana = await signUp("Ana", { viewport: PHONE });
  const { page } = ana.chat;
  await ana.chat.openDirect(ben.name);
  await expect(page).toHaveURL(/\/chat\?c=[0-9a-f]{24}$/);
  const url = page.url();
  // The conversation fills the screen: the list is gone, the composer is full width.
  await expect(ana.chat.conversations).toBeHidden();
  const composer = await ana.chat.composer.boundingBox();
  expect(composer!.width).toBeGreaterThan(PHONE.width * 0.6);
  await ana.chat.send("Hello from a phone");
  await expect(ana.chat.message("Hello from a phone")).toBeVisible();

  await page.getByRole("button", { name: "Back to conversations" }).click();
  await expect(ana.chat.conversations).toBeVisible();
  await expect(page.getByRole("log", { name: "Messages" })).toBeHidden();
  await expect(page).toHaveURL(/\/chat$/);
  expect(await focused(page)).not.toBe("body");

  await ana.chat.conversation(ben.name).click();
  await expect(page.getByRole("heading", { level: 1, name: ben.name })).toBeVisible();
  await expect(page).toHaveURL(url);
  await page.goBack();
  await expect(ana.chat.conversations).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: ben.name })).toBeHidden();
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1, name: ben.name })).toBeVisible();

  // A link to the conversation opens it directly, and the header's actions are in a menu.
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1, name: ben.name })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mute" })).toBeHidden();
  await page.getByRole("button", { name: "Conversation menu" }).click();
  await page.getByRole("menuitem", { name: "Mute" }).click();
  await expect(page.getByRole("button", { name: "Conversation menu" })).toBeFocused();
  await page.getByRole("button", { name: "Conversation menu" }).click();
  await expect(page.getByRole("menuitem", { name: "Unmute" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toBeHidden();
});

for (const viewport of [DESKTOP, PHONE]) {
  test(`at ${viewport.width}×${viewport.height}: the thread opens at the first unread under a New messages divider, groups runs, and counts what arrives below`, async ({ signUp }) => {
    const ben = await signUp("Ben");
    const ana = await signUp("Ana", { viewport });
    await ben.chat.openDirect(ana.name);
    await ben.chat.send("Before you left");
    await expect(ana.chat.conversation(ben.name)).toBeVisible();
    await ana.chat.open(ben.name);
    await expect(ana.chat.message("Before you left")).toBeVisible();
    await expect(ana.chat.page).toHaveTitle("Parley");
    // Her read is stored before she leaves: a reload racing the read report would count it again.
    await expect
      .poll(async () => ((await (await ana.chat.page.request.get("/api/conversations")).json()) as { conversations: { unreadCount: number }[] }).conversations[0]?.unreadCount)
      .toBe(0);
    // Ana leaves the conversation (on a phone, back to the list); 40 messages come in.
    if (viewport === PHONE) await ana.chat.page.getByRole("button", { name: "Back to conversations" }).click();
    else await ana.chat.page.goto("/chat");
    await sendMany(ben, "Unread", 40);
    await expect(ana.chat.unreadBadge(ben.name)).toHaveText("40");
    await expect(ana.chat.page).toHaveTitle("(40) Parley");

    await ana.chat.open(ben.name);
    const divider = ana.chat.page.getByTestId("unread-divider");
    await expect(divider).toBeVisible();
    await expect(divider).toHaveText("New messages");
    // The divider sits right before the first unread message, and that message is on screen.
    const next = divider.locator("xpath=following-sibling::article[1]");
    await expect(next.getByTestId("message-text")).toHaveText("Unread 1");
    await expect(next).toBeInViewport();
    await expect(ana.chat.message("Unread 40")).not.toBeInViewport();
    await expect(ana.chat.messages.getByTestId("day-separator").first()).toHaveText("Today");

    // Some of it is read, not all: only what has been on screen (the tab title counts the rest).
    await expect(ana.chat.page).toHaveTitle(/^\((?:[1-9]|[1-3][0-9])\) Parley$/);
    // Opening it put away the toasts it had raised.
    await expect(ana.chat.page.getByTestId("toast")).toHaveCount(0);
    const jump = ana.chat.page.getByTestId("jump-to-bottom");
    await expect(jump).toBeVisible();
    const below = Number(await jump.getByTestId("jump-count").innerText());
    expect(below).toBeGreaterThan(0);
    await ben.chat.send("One more while you read");
    await expect(jump.getByTestId("jump-count")).toHaveText(String(below + 1));

    await jump.click();
    await expect(ana.chat.message("One more while you read")).toBeInViewport();
    await expect(jump).toBeHidden();
    await expect(ana.chat.page).toHaveTitle("Parley");
    expect(await focused(ana.chat.page)).toMatch(/^textarea/);
  });
}

for (const viewport of [DESKTOP, PHONE]) {
  test(`at ${viewport.width}×${viewport.height}: runs by one sender show the name and avatar once; Markdown renders and its links are safe`, async ({ signUp }) => {
    const ana = await signUp("Ana", { viewport });
    const ben = await signUp("Ben");
    const cy = await signUp("Cy");
    await ana.chat.createGroup("Runs", [ben.name, cy.name]);
    await ben.chat.open("Runs");
    await cy.chat.open("Runs");
    await ben.chat.send("first from Ben");
    await ben.chat.send("second from Ben");
    await cy.chat.send("now Cy");
    await ben.chat.send("Ben again, **bold**, _italic_, ~~gone~~, `code`, see https://example.com/docs and [bad](javascript:alert(1))");
    await expect(ana.chat.message("first from Ben")).toBeVisible();

    const sender = (text: string) => ana.chat.messages.locator("article[data-stored]").filter({ hasText: text }).getByTestId("sender");
    await expect(sender("first from Ben")).toHaveText(ben.name);
    await expect(sender("second from Ben")).toHaveCount(0);
    await expect(sender("now Cy")).toHaveText(cy.name);
    await expect(sender("Ben again")).toHaveText(ben.name);
    // My own messages never repeat my name.
    await ana.chat.send("mine");
    await expect(ana.chat.message("mine").getByTestId("sender")).toHaveCount(0);

    const rich = ana.chat.messages.locator("article[data-stored]").filter({ hasText: "Ben again" });
    await expect(rich.locator("strong")).toHaveText("bold");
    await expect(rich.locator("em")).toHaveText("italic");
    await expect(rich.locator("del")).toHaveText("gone");
    await expect(rich.locator("code")).toHaveText("code");
    const link = rich.getByRole("link", { name: "https://example.com/docs" });
    await expect(link).toHaveAttribute("href", "https://example.com/docs");
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
    await expect(rich.getByRole("link")).toHaveCount(1);
    await expect(rich).toContainText("[bad](javascript:alert(1))");
    // A click opens the page in a new tab (routed here, so nothing leaves the machine).
    await ana.chat.page.context().route("https://example.com/**", (route) => route.fulfill({ body: "<title>docs</title>", contentType: "text/html" }));
    const [tab] = await Promise.all([ana.chat.page.context().waitForEvent("page"), link.click()]);
    await expect(tab).toHaveURL("https://example.com/docs");
    expect(await tab.evaluate(() => window.opener)).toBeNull();
    await tab.close();
  });
}

test("keyboard: focus follows each action and never falls to the page body", async ({ signUp }) => {
  const ana = await signUp("Ana", { viewport: DESKTOP });
  const ben = await signUp("Ben");
  const { page } = ana.chat;
  await ana.chat.openDirect(ben.name);
  // Opening a conversation puts the cursor in its message box.
  expect(await focused(page)).toMatch(/^textarea/);
  await ana.chat.send("first");
  await ana.chat.send("second");
  await expect(ana.chat.message("second")).toBeVisible();

  // The skip link is the first thing Tab reaches on a fresh page, and it goes to the composer.
  await page.reload();
  await ana.chat.waitConnected();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the message box" })).toBeFocused();
  await page.keyboard.press("Enter");
  expect(await focused(page)).toMatch(/^textarea/);

  // The message list is one Tab stop; arrow keys move inside it.
  await ana.chat.message("second").focus();
  await page.keyboard.press("ArrowUp");
  await expect(ana.chat.message("first")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(ana.chat.message("second")).toBeFocused();
  const stops = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>("[role=log] article")].filter((a) => a.tabIndex === 0).length);
  expect(stops).toBe(1);

  // React: the picker takes focus, and after a pick focus is back on React.
  await ana.chat.message("second").hover();
  await ana.chat.message("second").getByRole("button", { name: "React" }).click();
  await page.getByRole("button", { name: "React with 👍" }).click();
  await expect(ana.chat.message("second").getByTestId("reaction")).toHaveCount(1);
  expect(await focused(page)).toBe("button:React");

  // Reply: the composer, with the quote above it; Esc cancels the reply.
  await ana.chat.message("first").hover();
  await ana.chat.message("first").getByRole("button", { name: "Reply" }).click();
  expect(await focused(page)).toMatch(/^textarea/);
  await expect(page.getByTestId("composer-reply")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("composer-reply")).toBeHidden();

  // Edit: the field opens focused; Esc closes it and focus returns to the message.
  await ana.chat.messageMenu("second", "Edit");
  await expect(page.getByLabel("Edit message")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(ana.chat.message("second")).toBeFocused();

  // The context menu opens where the pointer is, focused on its first item; Esc closes it.
  await ana.chat.message("first").click({ button: "right" });
  const menu = page.getByRole("menu", { name: "Message actions menu" });
  await expect(menu.getByRole("menuitem").first()).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem").nth(1)).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  expect(await focused(page)).not.toBe("body");

  // Settings is a dialog that keeps focus inside and gives it back.
  const settings = await ana.chat.settings();
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press("Tab");
    expect(await settings.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press("Escape");
  await expect(settings).toBeHidden();
  await expect(page.getByRole("button", { name: "Settings" })).toBeFocused();
});

for (const viewport of [DESKTOP, PHONE]) {
  test(`at ${viewport.width}×${viewport.height}: the theme follows the device, a choice in Settings overrides it and survives a reload`, async ({ signUp }) => {
    const ana = await signUp("Ana", { colorScheme: "dark", viewport });
    const { page } = ana.chat;
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe("rgb(2, 6, 23)");
    const settings = await ana.chat.settings();
    await settings.getByText("Light", { exact: true }).click();
    expect(await background()).toBe("rgb(241, 245, 249)");
    await page.reload();
    await ana.chat.waitConnected();
    expect(await background()).toBe("rgb(241, 245, 249)");
    await expect(page.locator("html")).toHaveClass("light");
    await (await ana.chat.settings()).getByText("Dark", { exact: true }).click();
    await page.emulateMedia({ colorScheme: "light" });
    expect(await background()).toBe("rgb(2, 6, 23)");
    // Back to following the device.
    await (await ana.chat.settings()).getByText("Match this device", { exact: true }).click();
    expect(await background()).toBe("rgb(241, 245, 249)");
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await background()).toBe("rgb(2, 6, 23)");
  });
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`axe finds no WCAG 2.1 AA violation on any screen, ${colorScheme}`, async ({ signUp, browser, stack }) => {
    const scan = async (page: Page, where: string) => {
      const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(
        violations.map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")}`),
        `axe on ${where}`,
      ).toEqual([]);
    };
    const visitor = await browser.newContext({ baseURL: stack.webUrl, colorScheme });
    const anonymous = await visitor.newPage();
    await anonymous.goto("/sign-in");
    await scan(anonymous, "sign-in");
    await anonymous.goto("/sign-up");
    await scan(anonymous, "sign-up");
    await visitor.close();

    const ben = await signUp("Ben");
    const cy = await signUp("Cy");
    const ana = await signUp("Ana", { colorScheme, viewport: DESKTOP });
    const { page } = ana.chat;
    await scan(page, "empty chat");
    await ana.chat.openDirect(ben.name);
    await scan(page, "empty direct conversation");
    await ben.chat.open(ana.name);
    await ben.chat.send("Hello **Ana**, see https://example.com");
    await ana.chat.send("Hi Ben");
    await ana.chat.messageMenu("Hi Ben", "Pin");
    await expect(ana.chat.message("Hello **Ana**, see https://example.com".replace(/\*\*/g, ""))).toBeVisible();
    await scan(page, "direct conversation");
    // Message search: results with highlights, the operators' help, a result opened.
    const searchBox = page.getByRole("combobox", { name: /^Search messages/ });
    await expect(async () => {
      await searchBox.fill("");
      await searchBox.fill("hello");
      await expect(page.getByRole("option").first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
    await scan(page, "search results");
    await page.getByRole("button", { name: "Search operators" }).click();
    await scan(page, "search operators");
    await page.keyboard.press("Escape");
    await page.getByRole("option").first().click();
    await scan(page, "search result opened");
    await searchBox.fill("");
    await searchBox.press("Escape");
    await ana.chat.createGroup("Axe group", [ben.name, cy.name]);
    await page.getByRole("button", { name: "Group details" }).click();
    await scan(page, "group details");
    await ana.chat.settings();
    await scan(page, "settings");

    // The phone layout: the list alone, then a conversation alone, its menu open.
    const phone = await signUp("Phone", { colorScheme, viewport: PHONE });
    await phone.chat.openDirect(ana.name);
    await phone.chat.send("Hello from a **phone**");
    await scan(phone.chat.page, "phone conversation");
    await phone.chat.page.getByRole("button", { name: "Conversation menu" }).click();
    await scan(phone.chat.page, "phone conversation menu");
    await phone.chat.page.keyboard.press("Escape");
    await phone.chat.page.getByRole("button", { name: "Back to conversations" }).click();
    await scan(phone.chat.page, "phone list");
  });
}

test("writing: the counter warns before the limit, ↑ edits, mentions and emoji by keyboard, drafts survive", async ({ signUp }) => {
  const ana = await signUp("Ana", { viewport: DESKTOP });
  const ben = await signUp("Ben");
  const cy = await signUp("Cy");
  const { page } = ana.chat;
  await ana.chat.createGroup("Writers", [ben.name, cy.name]);
  const box = ana.chat.composer;
  const send = page.getByRole("button", { name: "Send" });

  // Enter sends, Shift+Enter breaks the line.
  await box.fill("line one");
  await box.press("Shift+Enter");
  await box.pressSequentially("line two");
  await box.press("Enter");
  await expect(ana.chat.messages.locator("article[data-stored]").filter({ hasText: "line two" }).getByTestId("message-text")).toHaveText("line one\nline two");

  // Invisible characters alone are no message: Send stays off and Enter does nothing.
  await box.fill("\u200b\u200d\u2060 ");
  await expect(send).toBeDisabled();
  await box.press("Enter");
  await expect(box).toHaveValue("\u200b\u200d\u2060 ");

  // Near 4,000 characters a counter shows; over it, Send is off before anything is sent.
  await box.fill("x".repeat(3_600));
  await expect(page.getByTestId("composer-count")).toHaveText("400 characters left");
  await box.fill("x".repeat(4_010));
  await expect(page.getByTestId("composer-count")).toHaveText("10 characters over the limit of 4000");
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(send).toBeDisabled();
  await box.press("Enter");
  await expect(ana.chat.pending).toHaveCount(0);

  // ↑ in an empty box edits my last message; Esc cancels and the cursor is back in the box.
  await box.fill("");
  await box.press("ArrowUp");
  await expect(page.getByLabel("Edit message")).toBeFocused();
  await expect(page.getByLabel("Edit message")).toHaveValue("line one\nline two");
  await page.keyboard.press("Escape");
  await expect(box).toBeFocused();

  // Mentions: ↓ moves through the suggestions, Enter picks the highlighted one.
  await box.fill("Hi @");
  const options = page.getByRole("listbox", { name: "Mention someone" }).getByRole("option");
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await box.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  const second = (await options.nth(1).locator("span.truncate").innerText()).trim();
  await box.press("Enter");
  await expect(box).toHaveValue(`Hi ${second} `);

  // The emoji picker: search, pick with the keyboard, it lands at the cursor and is remembered.
  await page.getByRole("button", { name: "Emoji" }).click();
  const picker = page.getByRole("dialog", { name: "Choose an emoji" });
  await expect(picker.getByRole("searchbox", { name: "Search emoji" })).toBeFocused();
  await expect(picker.getByRole("navigation", { name: "Emoji categories" }).getByRole("button")).toHaveCount(9);
  await page.keyboard.type("avocado");
  await expect(picker.getByRole("button", { name: "avocado", exact: true })).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(picker).toBeHidden();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(`Hi ${second} 🥑`);
  await page.getByRole("button", { name: "Emoji" }).click();
  await expect(picker.getByRole("region", { name: "Recently used" }).getByRole("button", { name: "avocado" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Emoji" })).toBeFocused();

  // The draft stays with the conversation: across switching away and a reload.
  await ana.chat.openDirect(ben.name);
  await expect(box).toHaveValue("");
  await ana.chat.open("Writers");
  await expect(box).toHaveValue(`Hi ${second} 🥑`);
  await page.reload();
  await ana.chat.waitConnected();
  await expect(box).toHaveValue(`Hi ${second} 🥑`);
  await box.press("Enter");
  await expect(box).toHaveValue("");
  await page.reload();
  await ana.chat.waitConnected();
  await expect(box).toHaveValue("");

  // Reactions: any emoji through the full picker.
  const mine = ana.chat.messages.locator("article[data-stored]").last();
  await mine.hover();
  await mine.getByRole("button", { name: "React" }).click();
  await page.getByRole("button", { name: "More emoji…" }).click();
  await page.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
  await page.getByRole("button", { name: "rocket", exact: true }).click();
  await expect(mine.locator('[data-testid="reaction"][data-emoji="🚀"]')).toBeVisible();
});
