import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

// Send→visible: from the sender pressing Enter to the message standing in the recipient's open
// thread. Both moments are stamped inside the pages (performance.timeOrigin + now, one machine
// clock for every page of the browser), so Playwright's round-trips do not count.
const COUNT = 50;
// Loose on purpose: a busy two-core machine must not fail it, a real regression (a poll, a
// debounce, a lost push recovered by a resync) must.
const P95_LIMIT_MS = 2_000;

declare global {
  interface Window {
    __latency?: Record<string, number>;
  }
}

/** Stamps each Enter in the composer with what it is sending, before React handles the key. */
async function stampSends(page: Page, prefix: string) {
  await page.evaluate((prefix) => {
    const stamps: Record<string, number> = {};
    window.__latency = stamps;
    document.addEventListener(
      "keydown",
      (event) => {
        const target = event.target;
        if (event.key !== "Enter" || event.shiftKey || !(target instanceof HTMLTextAreaElement)) return;
        const text = target.value.trim();
        if (text.startsWith(prefix)) stamps[text] ??= performance.timeOrigin + performance.now();
      },
      { capture: true },
    );
  }, prefix);
}

/** Stamps the first moment each stored message with the prefix is in the open thread's DOM. */
async function stampArrivals(page: Page, prefix: string) {
  await page.evaluate((prefix) => {
    const stamps: Record<string, number> = {};
    window.__latency = stamps;
    const scan = () => {
      const now = performance.timeOrigin + performance.now();
      for (const node of document.querySelectorAll('[role="log"] article[data-stored] [data-testid="message-text"]')) {
        const text = node.textContent ?? "";
        if (text.startsWith(prefix)) stamps[text] ??= now;
      }
    };
    new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, prefix);
}

const stamps = (page: Page) => page.evaluate(() => ({ ...window.__latency }));

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  if (value === undefined) throw new Error("no samples");
  return value;
}

test("a message is visible to the recipient soon after it is sent (p50/p95 over 50)", async ({ signUp }) => {
  test.setTimeout(60_000);
  const ana = await signUp("Ana");
  const ben = await signUp("Ben");

  // A first message opens the conversation on both sides and warms every connection up.
  await ana.chat.openDirect(ben.name);
  await ana.chat.send("warm-up");
  await ben.chat.open(ana.name);
  await expect(ben.chat.message("warm-up")).toBeVisible();

  const prefix = `latency-${Date.now().toString(36)}-`;
  await stampSends(ana.chat.page, prefix);
  await stampArrivals(ben.chat.page, prefix);

  // One after another, each once the last has arrived: the latency of a message, not of a queue.
  for (let i = 1; i <= COUNT; i += 1) {
    const text = `${prefix}${i}`;
    await ana.chat.composer.fill(text);
    await ana.chat.composer.press("Enter");
    await expect(ben.chat.message(text)).toBeVisible();
  }

  const [sent, seen] = await Promise.all([stamps(ana.chat.page), stamps(ben.chat.page)]);
  const latencies = Array.from({ length: COUNT }, (_, i) => {
    const text = `${prefix}${i + 1}`;
    const [at, shown] = [sent[text], seen[text]];
    if (at === undefined || shown === undefined) throw new Error(`no ${at === undefined ? "send" : "arrival"} stamp for ${text}`);
    return shown - at;
  });
  const sorted = [...latencies].sort((a, b) => a - b);
  const [p50, p95] = [percentile(sorted, 50), percentile(sorted, 95)];
  const summary = `send→visible p50=${p50.toFixed(1)} ms p95=${p95.toFixed(1)} ms over ${COUNT} messages (min ${sorted[0]?.toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)})`;
  console.log(summary);
  test.info().annotations.push({ type: "latency", description: summary });

  // A stamp before the send would mean the two clocks are not comparable and the figures meaningless.
  expect(sorted[0]).toBeGreaterThan(0);
  expect(p95, summary).toBeLessThan(P95_LIMIT_MS);
});
