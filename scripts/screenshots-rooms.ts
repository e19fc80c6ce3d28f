// Looking at public rooms: a stack of its own with a few rooms of different sizes and activity,
// then the directory, a preview, a room with its header and details, and the create dialog,
// captured at desktop and phone sizes in both themes (the pattern of scripts/screenshots.ts).
//
//   npm run build && npx tsx scripts/screenshots-rooms.ts [outDir]    (default .data/shots)
//
// A developer's tool, not a test: it asserts nothing and leaves the pictures for a person to judge.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { startStack, type Stack } from "../test/support/stack";
import { createUser, type TestUser } from "../test/support/users";

const outDir = path.resolve(process.argv[2] ?? ".data/shots");

async function call<T>(user: TestUser, url: string, body?: unknown, method = "POST"): Promise<T> {
  const response = await user.api(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? {} : await response.json()) as T;
}

const send = (user: TestUser, roomId: string, text: string) => call(user, `/api/conversations/${roomId}/messages`, { clientMsgId: randomUUID(), text });

async function seed(stack: Stack) {
  // Ana signs up first: she is the server admin (Settings shows the role).
  const ana = await createUser(stack, "Ana Lima");
  const people = await Promise.all(["Ben Okafor", "Cy Park", "Dee Ross", "Eli Novak", "Fay Chen"].map((name) => createUser(stack, name)));
  const [ben, cy, dee, eli, fay] = people as [TestUser, TestUser, TestUser, TestUser, TestUser];
  await call(ana, `/api/admins/${ben.id}`, undefined, "PUT");
  const room = async (owner: TestUser, name: string, topic: string, joiners: TestUser[]) => {
    const { room } = await call<{ room: { id: string } }>(owner, "/api/rooms", { name, topic, public: true });
    for (const person of joiners) await call(person, `/api/rooms/${room.id}/join`);
    return room.id;
  };
  const study = await room(ben, "Study hall", "Quiet co-working, every weekday. Say hi, then heads down.", [cy, dee, eli, fay]);
  await room(cy, "Photography", "Share a shot a day; critique kindly.", [dee, eli]);
  await room(dee, "Café Français", "On parle français ici — tous niveaux bienvenus.", [fay]);
  await room(eli, "Release announcements", "", []);
  await room(fay, "Board games night", "Thursdays at 7. Bring snacks, bring friends, bring a game nobody knows.", [ben, cy, dee]);
  await send(ben, study, "Morning all — pomodoro at :00, anyone in?");
  await send(cy, study, "In. Writing the chapter on replication today.");
  await send(dee, study, "Same, but with spreadsheets 🙃");
  await send(fay, study, "Back at 11, save me a seat.");
  // Ana's own room, joined by two, so the header and the details have something to show.
  const mine = await room(ana, "Design critique", "Weekly show and tell for works in progress.", [ben, cy]);
  await send(ben, mine, "I'll bring the onboarding flow this week.");
  await send(ana, mine, "Great, first slot is yours.");
  return { ana, study, mine };
}

async function shoot(browser: Browser, stack: Stack, user: TestUser, url: string, name: string, prepare?: (page: Page) => Promise<void>) {
  for (const [label, viewport] of [
    ["desktop", { width: 1440, height: 900 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ baseURL: stack.webUrl, viewport, colorScheme: scheme, deviceScaleFactor: 1 });
      await context.addCookies(
        user.cookie.split("; ").map((pair) => {
          const [cookieName, ...rest] = pair.split("=");
          return { name: cookieName!, value: rest.join("="), url: stack.webUrl };
        }),
      );
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
  const { ana, study, mine } = await seed(stack);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const directory = async (page: Page) => {
    await page.getByRole("button", { name: "Browse rooms" }).click();
    await page.getByRole("list", { name: "Public rooms" }).getByRole("button").first().waitFor();
  };
  await shoot(browser, stack, ana, "/chat", "rooms-directory", directory);
  await shoot(browser, stack, ana, "/chat", "rooms-preview", async (page) => {
    await directory(page);
    await page.locator(`[data-room-id="${study}"]`).click();
    await page.getByRole("button", { name: "Join room" }).waitFor();
  });
  await shoot(browser, stack, ana, "/chat", "rooms-create", async (page) => {
    await directory(page);
    await page.getByRole("button", { name: "Create room" }).click();
    await page.getByLabel("Room name").fill("Book club");
  });
  await shoot(browser, stack, ana, `/chat?c=${mine}`, "rooms-room");
  await shoot(browser, stack, ana, `/chat?c=${mine}`, "rooms-details", async (page) => {
    await page.getByRole("button", { name: "Room details" }).click();
  });
  await shoot(browser, stack, ana, "/chat", "rooms-settings", async (page) => {
    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByTestId("server-role").filter({ hasText: "Server admin" }).waitFor();
    await page.getByRole("dialog", { name: "Settings" }).getByRole("button", { name: /^Remove admin/ }).first().scrollIntoViewIfNeeded();
  });
  await browser.close();
} finally {
  await stack.stop();
}
