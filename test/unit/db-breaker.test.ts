// The database circuit breaker: fail fast while the database does not answer, probe until it does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createBreaker } from "../../lib/db/breaker";
import { AppError } from "../../lib/errors";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function harness(answers: boolean[]) {
  const lines: string[] = [];
  let probes = 0;
  const breaker = createBreaker({
    intervalMs: 5,
    log: (line) => lines.push(line),
    probe: async () => {
      const answer = answers[Math.min(probes, answers.length - 1)];
      probes += 1;
      if (!answer) throw new Error("no answer");
    },
  });
  return { breaker, lines, probes: () => probes };
}

describe("database breaker", () => {
  it("lets operations through until tripped, then fails them at once with a retryable UNAVAILABLE", () => {
    const { breaker, lines } = harness([false]);
    assert.equal(breaker.check(), null);
    breaker.trip(new Error("connection 3 timed out"));
    breaker.trip(new Error("connection 4 timed out"));
    const error = breaker.check();
    assert.ok(error instanceof AppError);
    assert.deepEqual(error.toBody(), { code: "UNAVAILABLE", message: error.message, retryable: true });
    assert.equal(error.status, 503);
    assert.equal(lines.length, 1, "a second trip while open is not logged again");
    assert.match(lines[0]!, /connection 3 timed out/);
  });

  it("probes until the database answers, then closes and says how long it was down", async () => {
    const { breaker, lines, probes } = harness([false, false, false, true]);
    breaker.trip(new Error("stalled"));
    breaker.check();
    breaker.check();
    for (let i = 0; i < 100 && breaker.isOpen(); i += 1) await sleep(5);
    assert.equal(breaker.isOpen(), false);
    assert.equal(probes(), 4);
    assert.equal(breaker.check(), null);
    assert.match(lines.at(-1)!, /answers again after \d+\.\d s \(2 operations failed fast meanwhile\)/);
  });

  it("probes at once, so a single dropped connection costs next to nothing", async () => {
    const { breaker, probes } = harness([true]);
    breaker.trip(new Error("connection reset"));
    assert.equal(probes(), 1, "the first probe starts synchronously with the trip");
    await sleep(0);
    assert.equal(breaker.isOpen(), false);
  });

  it("tells each waiting listener once when it opens, and a new listener at once while open", async () => {
    const { breaker } = harness([false, true]);
    const heard: string[] = [];
    breaker.onOpen(() => heard.push("a"));
    const stop = breaker.onOpen(() => heard.push("b"));
    stop();
    breaker.trip(new Error("down"));
    breaker.trip(new Error("still down"));
    assert.deepEqual(heard, ["a"]);
    breaker.onOpen((error) => heard.push(`late ${error.code}`));
    assert.deepEqual(heard, ["a", "late UNAVAILABLE"]);
    for (let i = 0; i < 100 && breaker.isOpen(); i += 1) await sleep(5);
    breaker.onOpen(() => heard.push("after"));
    assert.deepEqual(heard, ["a", "late UNAVAILABLE"], "closed again: nobody is told until the next trip");
  });

  it("does not keep the process alive while it waits between probes", async () => {
    const { breaker } = harness([false]);
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    breaker.trip(new Error("down"));
    await sleep(1);
    const during = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    assert.equal(during, before, "the pause between probes is unref'd");
  });
});
