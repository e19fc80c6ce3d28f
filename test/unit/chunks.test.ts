// The code-split parts' loader (lib/client/chunks.ts): a chunk that fails to arrive is fetched
// again, at once when the browser says it is back online or after a growing pause, and is given up
// on only after repeated failures while online. Against a fake clock and online flag.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChunkUnavailableError, retrying, type ChunkEnvironment, type ChunkPolicy } from "../../lib/client/chunks";

const policy: ChunkPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 400 };

class FakeBrowser implements ChunkEnvironment {
  isOnline = true;
  now = 0;
  timers: { at: number; run: () => void; id: number }[] = [];
  listeners = new Set<() => void>();
  private nextId = 0;
  online = () => this.isOnline;
  onOnline = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  setTimeout = (run: () => void, ms: number) => {
    const id = ++this.nextId;
    this.timers.push({ at: this.now + ms, run, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };
  /** Moves the clock on, running the timers that come due. */
  async advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.run();
    }
    this.now = until;
    await settle();
  }
  async goOnline() {
    this.isOnline = true;
    for (const listener of [...this.listeners]) {
      this.listeners.delete(listener);
      listener();
    }
    await settle();
  }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A loader that fails while `failing` says so, counting its calls. */
function flakyLoader(browser: FakeBrowser, failing: () => boolean) {
  const calls: number[] = [];
  const load = async () => {
    calls.push(browser.now);
    if (failing()) throw new TypeError("Failed to fetch dynamically imported module");
    return { module: "here" };
  };
  return { load, calls };
}

describe("retrying chunk loader", () => {
  it("loads once, and every caller gets the same module", async () => {
    const browser = new FakeBrowser();
    const { load, calls } = flakyLoader(browser, () => false);
    const get = retrying(load, policy, browser);
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.equal(await get(), a);
    assert.equal(calls.length, 1);
  });

  it("waits out an offline browser without counting its failures, and loads the moment it is back online", async () => {
    const browser = new FakeBrowser();
    browser.isOnline = false;
    const { load, calls } = flakyLoader(browser, () => !browser.isOnline);
    const get = retrying(load, policy, browser);
    let result: unknown = null;
    let failure: unknown = null;
    get().then((value) => (result = value), (error: unknown) => (failure = error));
    // Offline for far longer than the attempts allowed while online would last: never given up.
    await browser.advance(60_000);
    assert.equal(failure, null);
    assert.equal(result, null);
    assert.ok(calls.length > policy.attempts, `tried ${calls.length} times while offline`);
    // Offline, the pause is the longest one (no hammering while nothing can arrive).
    assert.ok(calls.every((at, i) => i === 0 || at - calls[i - 1]! === policy.maxDelayMs));
    const before = calls.length;
    await browser.goOnline();
    assert.deepEqual(result, { module: "here" });
    assert.equal(calls.length, before + 1, "loaded at once on the online event, not after the pause");
    assert.equal(browser.timers.length, 0, "the pending pause was cleared");
  });

  it("pauses longer after each failure while online, and loads when the server answers again", async () => {
    const browser = new FakeBrowser();
    let failuresLeft = 2;
    const { load, calls } = flakyLoader(browser, () => failuresLeft-- > 0);
    const get = retrying(load, policy, browser);
    let result: unknown = null;
    void get().then((value) => (result = value));
    await browser.advance(1_000);
    assert.deepEqual(calls, [0, 100, 300]);
    assert.deepEqual(result, { module: "here" });
  });

  it("gives up after repeated failures while online, with an error that says why, and a later call starts over", async () => {
    const browser = new FakeBrowser();
    let failing = true;
    const { load, calls } = flakyLoader(browser, () => failing);
    const get = retrying(load, policy, browser);
    let failure: unknown = null;
    get().catch((error: unknown) => (failure = error));
    await browser.advance(10_000);
    assert.ok(failure instanceof ChunkUnavailableError);
    assert.equal(failure.name, "ChunkUnavailableError");
    assert.ok(failure.cause instanceof TypeError);
    assert.equal(calls.length, policy.attempts);
    assert.equal(browser.timers.length, 0);
    assert.equal(browser.listeners.size, 0, "no online listener left behind");
    failing = false;
    assert.deepEqual(await get(), { module: "here" });
    assert.equal(calls.length, policy.attempts + 1);
  });
});
