// The gate that bounds concurrent connection set-ups (socket-server/middleware/gate.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../lib/errors";
import { Gate } from "../../socket-server/middleware/gate";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Gate", () => {
  it("runs at most `limit` tasks at once, the rest in arrival order", async () => {
    const gate = new Gate(2, 5_000);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        gate.run(async () => {
          started.push(i);
          running += 1;
          peak = Math.max(peak, running);
          await sleep(10);
          running -= 1;
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(gate.queued, 0);
  });

  it("frees its place when a task fails", async () => {
    const gate = new Gate(1, 5_000);
    await assert.rejects(gate.run(async () => Promise.reject(new Error("lookup failed"))), /lookup failed/);
    assert.equal(await gate.run(async () => "next one runs"), "next one runs");
  });

  it("refuses with a retryable UNAVAILABLE a task that waited too long, and forgets it", async () => {
    const gate = new Gate(1, 30);
    const slow = gate.run(() => sleep(100));
    await assert.rejects(gate.run(async () => "never"), (error) => error instanceof AppError && error.code === "UNAVAILABLE");
    assert.equal(gate.queued, 0);
    await slow;
    assert.equal(await gate.run(async () => "free again"), "free again");
  });
});
