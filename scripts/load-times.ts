// How fast a conversation shows after a full page load, in a production build: first contentful
// paint, and the first message of a 240-message conversation on screen. Two cases, each on its own
// fresh pair of people: everything unread (the thread opens at the first unread), and everything
// read (it opens at the newest).
//
//   npm run build && npx tsx scripts/load-times.ts [runs]     (default 7 runs per case)
//
// Prints each run and the medians. A developer's measuring tool: it asserts nothing.
import { randomUUID } from "node:crypto";
import { chromium, type Browser } from "@playwright/test";
import { startStack, type Stack } from "../test/support/stack";
import { createUser, type TestUser } from "../test/support/users";

const RUNS = Number(process.argv[2] ?? 7);
const MESSAGES = 240;

async function seed(stack: Stack, read: boolean): Promise<{ reader: TestUser; conversationId: string }> {
  const [reader, writer] = await Promise.all([createUser(stack, "Reader"), createUser(stack, "Writer")]);
  const created = await writer!.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "direct", userId: reader!.id }) });
  const { conversation } = (await created.json()) as { conversation: { id: string } };
  let seq = 0;
  for (let i = 1; i <= MESSAGES; i += 1) {
    const sent = await writer!.api(`/api/conversations/${conversation.id}/messages`, {
      method: "POST",
      body: JSON.stringify({ clientMsgId: randomUUID(), text: `Message ${i}: ${"some words of a realistic length ".repeat(1 + (i % 3))}` }),
    });
    seq = ((await sent.json()) as { message: { seq: number } }).message.seq;
  }
  if (read) await reader!.api(`/api/conversations/${conversation.id}/read`, { method: "POST", body: JSON.stringify({ seq }) });
  return { reader: reader!, conversationId: conversation.id };
}

async function measure(browser: Browser, stack: Stack, reader: TestUser, conversationId: string) {
  const context = await browser.newContext({ baseURL: stack.webUrl, viewport: { width: 1440, height: 900 } });
  await context.addCookies(
    reader.cookie.split("; ").map((pair) => {
      const [name, ...rest] = pair.split("=");
      return { name: name!, value: rest.join("="), url: stack.webUrl };
    }),
  );
  // The moment the first stored message is in the document and laid out, in page time.
  await context.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const article = document.querySelector("article[data-stored]");
      if (article && article.getBoundingClientRect().height > 0) {
        (window as unknown as { firstMessageAt: number }).firstMessageAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  });
  const page = await context.newPage();
  await page.goto(`/chat?c=${conversationId}`);
  await page.waitForFunction(() => (window as unknown as { firstMessageAt?: number }).firstMessageAt !== undefined, undefined, { timeout: 30_000 });
  const result = await page.evaluate(() => ({
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
    firstMessage: (window as unknown as { firstMessageAt: number }).firstMessageAt,
  }));
  await context.close();
  return result;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const stack = await startStack();
try {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  for (const read of [false, true]) {
    const label = read ? "all read" : "all unread";
    const fcp: number[] = [];
    const first: number[] = [];
    // One warm-up load (the server compiles nothing in production, but caches warm up).
    const warm = await seed(stack, read);
    await measure(browser, stack, warm.reader, warm.conversationId);
    for (let run = 0; run < RUNS; run += 1) {
      const { reader, conversationId } = await seed(stack, read);
      const result = await measure(browser, stack, reader, conversationId);
      fcp.push(result.fcp);
      first.push(result.firstMessage);
      console.log(`${label} run ${run + 1}: first paint ${result.fcp.toFixed(0)} ms, first message ${result.firstMessage.toFixed(0)} ms`);
    }
    console.log(`${label}: median first paint ${median(fcp).toFixed(0)} ms, median first message ${median(first).toFixed(0)} ms (${RUNS} runs)`);
  }
  await browser.close();
} finally {
  await stack.stop();
}
