import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test, type ChatUser } from "./fixtures";
import { XSS_PAYLOADS } from "./xss-payloads";

// Whatever a payload would have become had it been parsed as HTML: elements that run script or
// load content, inline handlers, script and data URLs. None may exist where user text is shown.
const INJECTED = [
  // The app's own icons are inline SVG, every one aria-hidden; anything else would be injected.
  "script", "img", "svg:not([aria-hidden='true'])", "math", "iframe", "object", "embed", "video", "audio", "source", "style", "meta", "noscript",
  "details", "marquee", "body", "x", "[contenteditable]", "[autofocus]", "[onerror]", "[onload]", "[onfocus]",
  "[ontoggle]", "[onstart]", "[srcdoc]", "[style*='url(' i]", "[style*='expression' i]", "[action*='__xss']",
  "a[href^='javascript' i]", "a[href^='data' i]",
].join(", ");

/** No payload ran, opened a dialog or tripped the CSP, and nothing in the UI is markup they made. */
async function expectInert(users: ChatUser[]) {
  for (const user of users) {
    const page = user.chat.page;
    await expect(page.locator("aside, main").locator(INJECTED)).toHaveCount(0);
    // Anchors the app renders: its own conversation links, and (once links are shown) only web and mail links.
    const anchors = await page.locator("aside a, main a").evaluateAll((links) => links.map((a) => ({ href: a.getAttribute("href") ?? "", rel: a.getAttribute("rel") ?? "" })));
    for (const { href, rel } of anchors) {
      if (href.startsWith("/chat?c=")) continue;
      expect(href).toMatch(/^(https?:|mailto:)/i);
      expect(rel.split(/\s+/)).toEqual(expect.arrayContaining(["noopener", "noreferrer"]));
    }
  }
  // An image error or a focus handler fires a moment after render; give them that moment.
  await users[0]?.chat.page.waitForTimeout(300);
  for (const user of users) {
    expect(user.guard.xssCalls, `payloads executed for ${user.name}`).toEqual([]);
    expect(user.guard.dialogs, `dialogs opened for ${user.name}`).toEqual([]);
    expect(user.guard.cspViolations, `CSP violations for ${user.name}`).toEqual([]);
  }
}

async function idOf(request: APIRequestContext, email: string): Promise<string> {
  const response = await request.get(`/api/users?q=${encodeURIComponent(email)}`);
  expect(response.ok()).toBe(true);
  const { users } = (await response.json()) as { users: { id: string; email?: string }[] };
  const found = users.find((user) => user.email === email);
  if (!found) throw new Error(`no user with email ${email}`);
  return found.id;
}

async function post(request: APIRequestContext, url: string, data: unknown): Promise<{ id: string }> {
  const response = await request.post(url, { data });
  expect(response.status(), `${url}: ${await response.text()}`).toBe(201);
  const body = (await response.json()) as { user?: { id: string }; conversation?: { id: string }; message?: { id: string } };
  const created = body.user ?? body.conversation ?? body.message;
  if (!created) throw new Error(`${url} answered without an id`);
  return created;
}

test(`${XSS_PAYLOADS.length} hostile messages are shown as the exact text, live and after reload`, async ({ signUp }) => {
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");
  await ana.chat.openDirect(ben.name);
  await ben.chat.open(ana.name);

  for (const payload of XSS_PAYLOADS) await ana.chat.send(payload);
  // Sender (optimistic, then stored) and receiver (live broadcast) both render every payload verbatim, in order.
  await expect.poll(() => ana.chat.texts(), { timeout: 15_000 }).toEqual(XSS_PAYLOADS);
  await expect.poll(() => ben.chat.texts(), { timeout: 15_000 }).toEqual(XSS_PAYLOADS);
  await expect(ben.chat.conversation(ana.name)).toContainText(XSS_PAYLOADS.at(-1)!);
  await expectInert([ana, ben]);

  // The server-rendered page (list previews) and the history fetch are a second rendering path.
  await ben.chat.page.reload();
  await ben.chat.open(ana.name);
  await expect.poll(() => ben.chat.texts()).toEqual(XSS_PAYLOADS);
  await expectInert([ana, ben]);
});

test(`${XSS_PAYLOADS.length} hostile display names are shown as the exact text`, async ({ signUp, stack }) => {
  const ana = await signUp("Ana");
  const anaRequest = ana.chat.page.context().request;

  // A few sign up through the form; each sees their own name and writes to Ana.
  const viaForm = XSS_PAYLOADS.slice(0, 3);
  const formUsers: ChatUser[] = [];
  for (const name of viaForm) {
    const user = await signUp(name, { exactName: true });
    await expect(user.chat.page.locator("aside header")).toContainText(name);
    const request = user.chat.page.context().request;
    const conversation = await post(request, "/api/conversations", { kind: "direct", userId: await idOf(request, ana.email) });
    await post(request, `/api/conversations/${conversation.id}/messages`, { clientMsgId: crypto.randomUUID(), text: `hello from ${formUsers.length}` });
    formUsers.push(user);
  }

  // The rest register over HTTP (the same core as the form) and Ana starts a conversation with each.
  const viaApi = XSS_PAYLOADS.slice(viaForm.length);
  const registered = await Promise.all(
    viaApi.map((name, i) =>
      post(anaRequest, `${stack.webUrl}/api/register`, { name, email: `hostile${i}.${randomBytes(4).toString("hex")}@example.test`, password: "long enough password" }),
    ),
  );
  for (const user of registered) await post(anaRequest, "/api/conversations", { kind: "direct", userId: user.id });

  await ana.chat.page.reload();
  for (const name of XSS_PAYLOADS) await expect(ana.chat.conversations.getByText(name, { exact: true })).toBeVisible();

  // Open one written from the form: the heading and the message's author are the name, verbatim.
  await ana.chat.conversations.getByRole("link").filter({ hasText: "hello from 1" }).click();
  await expect(ana.chat.page.getByRole("heading", { level: 1 })).toHaveText(viaForm[1]!);
  await expect(ana.chat.message("hello from 1")).toHaveAttribute("aria-label", new RegExp(`^${viaForm[1]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, `));

  // People search lists them too.
  await ana.chat.page.getByLabel("Search people").fill("onerror");
  await expect(ana.chat.page.getByRole("list", { name: "People found" }).getByRole("listitem").first()).toBeVisible();
  await expectInert([ana, ...formUsers]);
});

test(`${XSS_PAYLOADS.length} hostile group names are shown as the exact text`, async ({ signUp }) => {
  const cleo = await signUp("Cleo");
  const dan = await signUp("Dan");
  const eve = await signUp("Eve");

  // One through the form, the rest over HTTP with Cleo's session.
  const [first, ...rest] = XSS_PAYLOADS;
  await cleo.chat.createGroup(first!, [dan.name, eve.name]);
  await expect(cleo.chat.page.getByRole("heading", { level: 1 })).toHaveText(first!);
  const request = cleo.chat.page.context().request;
  const memberIds = [await idOf(request, dan.email), await idOf(request, eve.email)];
  for (const name of rest) await post(request, "/api/conversations", { kind: "group", name, memberIds });

  // Dan hears of each group live (client rendering); Cleo reloads (server rendering).
  await cleo.chat.page.reload();
  for (const user of [dan, cleo]) {
    for (const name of XSS_PAYLOADS) await expect(user.chat.conversations.getByText(name, { exact: true })).toBeVisible();
  }
  for (const name of [rest[0]!, rest.at(-1)!]) {
    await dan.chat.conversations.getByRole("link").filter({ has: dan.chat.page.getByText(name, { exact: true }) }).click();
    await expect(dan.chat.page.getByRole("heading", { level: 1 })).toHaveText(name);
  }
  await expectInert([cleo, dan, eve]);
});
