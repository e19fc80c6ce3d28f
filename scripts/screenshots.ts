// Looking at the product: a stack on its own ports with a few people and conversations that
// use what the thread can show (history over several days, Markdown, a reply, reactions, a pin,
// a long unread run), then the chat screen captured at desktop and phone sizes in both themes.
//
//   npm run build && npx tsx scripts/screenshots.ts [outDir] [--only=files]    (default .data/shots)
//
// --only=files takes the attachment scenes alone (scripts/screenshots-files.ts), --only=search
// the search scenes alone (scripts/screenshots-search.ts).
//
// A developer's tool, not a test: it asserts nothing and leaves the pictures for a person to judge.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { MongoClient, ObjectId } from "mongodb";
import sharp from "sharp";
import { chromium, type Browser, type Page } from "@playwright/test";
import { startStack, type Stack } from "../test/support/stack";
import { createUser, type TestUser } from "../test/support/users";
import { fileScenes, seedFiles } from "./screenshots-files";
import { searchScenes } from "./screenshots-search";

const args = process.argv.slice(2);
const outDir = path.resolve(args.find((arg) => !arg.startsWith("--")) ?? ".data/shots");
const only = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
const DAY = 24 * 60 * 60 * 1000;

const json = (body: unknown) => JSON.stringify(body);

async function post<T>(user: TestUser, url: string, body: unknown, method = "POST"): Promise<T> {
  const response = await user.api(url, { method, body: json(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function send(user: TestUser, conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  const { message } = await post<{ message: { id: string; seq: number } }>(user, `/api/conversations/${conversationId}/messages`, {
    clientMsgId: randomUUID(),
    text,
    ...extra,
  });
  return message;
}

const chatter = [
  "Morning! Did the build go green last night?",
  "It did, after the flaky presence test got its timeout back.",
  "Nice. I'll look at the **reconnect storm** numbers after lunch.",
  "The relay does 2.7 s; we're at about 3.6 s now.",
  "Good enough for a first pass. `gapMs` did most of it?",
  "Mostly, yes. The coalescer batches fill up under load now.",
  "Shall we write it up for the team?",
  "Yes — I'll draft, you check the figures.",
  "Deal 👍",
  "Lunch?",
  "Give me ten minutes.",
  "Sure, meet you downstairs.",
];

/** A profile picture drawn on the spot (a head and shoulders on a gradient), set through the real route. */
async function setPicture(user: TestUser, [light, dark]: readonly [string, string]) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></linearGradient></defs><rect width="512" height="512" fill="url(#g)"/><circle cx="256" cy="210" r="92" fill="#fde68a"/><ellipse cx="256" cy="470" rx="170" ry="130" fill="#fef3c7"/></svg>`;
  const body = await sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
  const response = await user.api("/api/settings/avatar", { method: "PUT", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/octet-stream" } });
  if (!response.ok) throw new Error(`profile picture: ${response.status} ${await response.text()}`);
}

async function seed(stack: Stack) {
  const [ana, ben, cy, dee] = await Promise.all(["Ana Lima", "Ben Okafor", "Cy Park", "Dee Ross"].map((name) => createUser(stack, name)));
  const direct = await post<{ conversation: { id: string } }>(ana!, "/api/conversations", { kind: "direct", userId: ben!.id });
  const dm = direct.conversation.id;
  const group = await post<{ conversation: { id: string } }>(ana!, "/api/conversations", {
    kind: "group",
    name: "Design team",
    memberIds: [ben!.id, cy!.id, dee!.id],
  });
  const gid = group.conversation.id;
  await post(cy!, "/api/conversations", { kind: "direct", userId: ana!.id });
  // Ben and Cy have profile pictures; Ana and Dee show their initials.
  for (const [user, colours] of [[ben!, ["#f59e0b", "#7c2d12"]], [cy!, ["#38bdf8", "#1e3a8a"]]] as const) await setPicture(user, colours);

  // Three days of history, read by Ana up to the last morning.
  const sent: { id: string; seq: number }[] = [];
  for (let i = 0; i < 36; i += 1) sent.push(await send(i % 3 === 0 ? ana! : ben!, dm, chatter[i % chatter.length]!));
  const quoted = await send(ben!, dm, "Formatting check: *italic*, **bold**, ~~struck~~, `code`, and a link https://example.com/docs?x=1");
  await send(ana!, dm, "> quoted line\n\n- one\n- two\n\n```\nconst x = 1;\n```");
  await send(ana!, dm, "Looks right to me.", { replyTo: quoted.id });
  await post(ana!, `/api/conversations/${dm}/read`, { seq: (await send(ana!, dm, "Reading up to here.")).seq });
  for (let i = 0; i < 24; i += 1) await send(ben!, dm, `${chatter[(i * 5) % chatter.length]} (${i + 1})`);
  await post(ana!, `/api/messages/${quoted.id}/reactions`, { emoji: "👍", add: true });
  await post(ben!, `/api/messages/${sent[4]!.id}/pin`, {}, "PUT");

  for (let i = 0; i < 10; i += 1) await send([ben, cy, dee, ana][i % 4]!, gid, chatter[(i + 3) % chatter.length]!);
  await send(cy!, gid, `@Ana Lima can you check the dark theme?`, { mentions: [ana!.id] });

  // Spread the direct conversation over three days, oldest first, so day separators show.
  const mongo = new MongoClient(stack.mongoUri);
  await mongo.connect();
  const messages = mongo.db(stack.data.dbName).collection("messages");
  const all = await messages.find({ conversationId: new ObjectId(dm) }, { sort: { seq: 1 }, projection: { _id: 1, seq: 1 } }).toArray();
  const now = Date.now();
  for (const [index, doc] of all.entries()) {
    const age = index < 12 ? 2 * DAY : index < 30 ? DAY : 0;
    const at = new Date(now - age - (all.length - index) * 90_000);
    await messages.updateOne({ _id: doc._id }, { $set: { createdAt: at } });
  }
  await mongo.close();
  return { ana: ana!, ben: ben!, dee: dee!, dm, gid };
}

async function shoot(browser: Browser, stack: Stack, user: TestUser, url: string, name: string, prepare?: (page: Page) => Promise<void>) {
  for (const [label, viewport] of [
    ["desktop", { width: 1440, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ baseURL: stack.webUrl, viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      const cookies = user.cookie.split("; ").map((pair) => {
        const [cookieName, ...rest] = pair.split("=");
        return { name: cookieName!, value: rest.join("="), url: stack.webUrl };
      });
      await context.addCookies(cookies);
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole("status").filter({ hasText: "Connected" }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await prepare?.(page);
      await page.waitForTimeout(600);
      const file = path.join(outDir, `${name}-${label}-${scheme}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  }
}

const stack = await startStack();
try {
  mkdirSync(outDir, { recursive: true });
  const { ana, dee, dm, gid } = await seed(stack);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  if (only !== "search") {
    // Attachments: a conversation of its own (Ana and Dee), so the others keep their look.
    const files = await post<{ conversation: { id: string } }>(ana, "/api/conversations", { kind: "direct", userId: dee.id });
    await seedFiles(browser, ana, dee, files.conversation.id);
    for (const [scene, prepare] of Object.entries(fileScenes)) await shoot(browser, stack, ana, `/chat?c=${files.conversation.id}`, scene, prepare);
  }
  if (only !== "files") {
    for (const [scene, { at, prepare }] of Object.entries(searchScenes)) await shoot(browser, stack, ana, at === "list" ? "/chat" : `/chat?c=${dm}`, scene, prepare);
  }
  if (!only) {
    await shoot(browser, stack, ana, "/chat", "list");
    await shoot(browser, stack, ana, `/chat?c=${dm}`, "direct");
    await shoot(browser, stack, ana, `/chat?c=${gid}`, "group");
    await shoot(browser, stack, ana, `/chat?c=${gid}`, "details", async (page) => {
      await page.getByRole("button", { name: "Group details" }).click();
    });
    await shoot(browser, stack, ana, `/chat?c=${dm}`, "menu", async (page) => {
      const message = page.locator("article[data-stored]").last();
      await message.hover();
      await message.getByRole("button", { name: "More actions" }).click();
    });
    await shoot(browser, stack, ana, "/chat", "settings", async (page) => {
      await page.getByRole("button", { name: "Settings" }).click();
    });
  }
  await browser.close();
} finally {
  await stack.stop();
}
