// The per-process queue of a conversation's writes, and how it behaves when the database stalls.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { reportDbUnavailable } from "../../lib/db/client";
import { serialize } from "../../lib/chat/sequencer";
import { AppError } from "../../lib/errors";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("serialize", () => {
  before(() => {
    // The breaker's probes must fail here without reaching any database: no URI, no connection.
    delete process.env.MONGODB_URI;
  });

  it("runs the tasks of one key one after another, in the order they came", async () => {
    const order: string[] = [];
    const first = deferred<void>();
    const a = serialize("k1", async () => {
      order.push("a start");
      await first.promise;
      order.push("a end");
      return "a";
    });
    const b = serialize("k1", async () => {
      order.push("b");
      return "b";
    });
    const other = serialize("k2", async () => "other key runs meanwhile");
    assert.equal(await other, "other key runs meanwhile");
    first.resolve();
    assert.deepEqual(await Promise.all([a, b]), ["a", "b"]);
    assert.deepEqual(order, ["a start", "a end", "b"]);
  });

  it("makes a waiting task give up as soon as the database is found down, without running it", async () => {
    const stalled = deferred<string>();
    const a = serialize("k3", () => stalled.promise);
    let bRan = false;
    const b = serialize("k3", async () => {
      bRan = true;
      return "b";
    });
    const started = Date.now();
    setTimeout(() => reportDbUnavailable(new Error("connection 1 timed out")), 20);
    await assert.rejects(b, (error: unknown) => error instanceof AppError && error.code === "UNAVAILABLE" && error.retryable);
    assert.ok(Date.now() - started < 500, "gave up when told, not after the stalled task");

    // Queued while the database is known down: gives up at once, and the stalled task is not cut short.
    const c = serialize("k3", async () => "c");
    stalled.resolve("a");
    assert.equal(await a, "a", "the stalled task itself is not cut short");
    await assert.rejects(c, (error: unknown) => error instanceof AppError && error.code === "UNAVAILABLE");
    assert.equal(bRan, false);
  });
});
