// The outbox's rules, against a small in-process server that stores by clientMsgId like the real
// one (the real stack is exercised by the integration storm and the Playwright reload test).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import {
  backoffDelay,
  MemoryOutboxStore,
  Outbox,
  transportFor,
  type OutboxEntry,
  type OutboxItemState,
  type RetryPolicy,
  type SendInput,
  type SendVia,
} from "../../lib/client/outbox";
import type { MessageDto } from "../../lib/schemas/dto";

const ME = "0000000000000000000000a1";
const C1 = "0000000000000000000000c1";
const C2 = "0000000000000000000000c2";
const fast: RetryPolicy = { baseDelayMs: 1, maxDelayMs: 5, attemptsBeforeFailed: 4, restMs: 60_000, random: () => 0.5 };

type Fault = "timeout" | "refuse" | "lost-ack" | "rate-limited" | "ok";

/** Stores each clientMsgId once, numbers per conversation, and fails attempts as scripted. */
class FakeServer {
  readonly stored: MessageDto[] = [];
  readonly attempts: { clientMsgId: string; via: SendVia; at: number }[] = [];
  inFlight = new Map<string, number>();
  maxInFlightPerConversation = 0;
  faults: Fault[] = [];
  socket = true;
  offline = false;

  async send(input: SendInput, via: SendVia): Promise<Ack<{ message: MessageDto }>> {
    this.attempts.push({ clientMsgId: input.clientMsgId, via, at: Date.now() });
    const busy = (this.inFlight.get(input.conversationId) ?? 0) + 1;
    this.inFlight.set(input.conversationId, busy);
    this.maxInFlightPerConversation = Math.max(this.maxInFlightPerConversation, busy);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight.set(input.conversationId, busy - 1);
    const fault = this.faults.shift() ?? "ok";
    if (fault === "timeout") return { ok: false, error: { code: "UNAVAILABLE", message: "timed out", retryable: true } };
    if (fault === "refuse") return { ok: false, error: { code: "NOT_FOUND", message: "Not found", retryable: false } };
    if (fault === "rate-limited") return { ok: false, error: { code: "RATE_LIMITED", message: "Too fast", retryable: true, retryAfterMs: 60 } };
    let message = this.stored.find((m) => m.clientMsgId === input.clientMsgId);
    if (!message) {
      const seq = this.stored.filter((m) => m.conversationId === input.conversationId).length + 1;
      message = { id: `m${this.stored.length}`, conversationId: input.conversationId, seq, version: seq, senderId: ME, senderName: "Me", clientMsgId: input.clientMsgId, kind: "text", text: input.text, replyTo: null, replyPreview: null, mentions: [], createdAt: new Date().toISOString(), editedAt: null, deletedAt: null, reactions: [], pinnedAt: null, pinnedBy: null };
      this.stored.push(message);
    }
    if (fault === "lost-ack") throw new Error("connection reset");
    return { ok: true, data: { message } };
  }
}

function setup(server: FakeServer, store = new MemoryOutboxStore(), policy = fast) {
  const sent: string[] = [];
  const states = new Map<string, OutboxItemState>();
  const outbox = new Outbox({
    userId: ME,
    store,
    policy,
    transport: { socketUp: () => server.socket, offline: () => server.offline, send: (input, via) => server.send(input, via) },
    listener: {
      changed: (entry, state) => states.set(entry.clientMsgId, state),
      sent: (entry) => sent.push(entry.text),
    },
  });
  return { outbox, sent, states, store };
}

let ids = 0;
const id = () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, "0")}`;

async function until(check: () => boolean, ms = 2_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("outbox", () => {
  it("sends each conversation's messages one at a time, in the order written", async () => {
    const server = new FakeServer();
    const { outbox, sent } = setup(server);
    for (let i = 0; i < 10; i += 1) await outbox.add({ clientMsgId: id(), conversationId: i % 2 ? C1 : C2, text: `m${i}` });
    await until(() => sent.length === 10);
    assert.equal(server.maxInFlightPerConversation, 1);
    const inC1 = server.stored.filter((m) => m.conversationId === C1).map((m) => m.text);
    assert.deepEqual(inC1, ["m1", "m3", "m5", "m7", "m9"]);
  });

  it("retries a timed-out message with the same clientMsgId: socket twice, then HTTP", async () => {
    const server = new FakeServer();
    server.faults = ["timeout", "timeout", "ok"];
    const { outbox, sent } = setup(server);
    const clientMsgId = id();
    await outbox.add({ clientMsgId, conversationId: C1, text: "hello" });
    await until(() => sent.length === 1);
    assert.deepEqual(server.attempts.map((a) => [a.clientMsgId, a.via]), [
      [clientMsgId, "socket"],
      [clientMsgId, "socket"],
      [clientMsgId, "http"],
    ]);
    assert.equal(server.stored.length, 1);
  });

  it("stores once when an attempt was stored but its answer was lost", async () => {
    const server = new FakeServer();
    server.faults = ["lost-ack", "lost-ack"];
    const { outbox, sent } = setup(server);
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "once" });
    await until(() => sent.length === 1);
    assert.equal(server.attempts.length, 3);
    assert.equal(server.stored.length, 1);
  });

  it("retries a rate-limited message after the wait the server names, and stores it once", async () => {
    const server = new FakeServer();
    server.faults = ["rate-limited", "rate-limited"];
    // The hint is capped at maxDelayMs, so this policy's ceiling is above it; its backoff stays ~1 ms.
    const { outbox, sent } = setup(server, new MemoryOutboxStore(), { ...fast, maxDelayMs: 1_000 });
    const clientMsgId = id();
    await outbox.add({ clientMsgId, conversationId: C1, text: "later" });
    await until(() => sent.length === 1);
    assert.deepEqual(server.stored.map((m) => m.text), ["later"]);
    const times = server.attempts.filter((a) => a.clientMsgId === clientMsgId).map((a) => a.at);
    assert.equal(times.length, 3);
    // The backoff alone is 1–2 ms here; the server asked for 60.
    for (let i = 1; i < times.length; i += 1) assert.ok(times[i]! - times[i - 1]! >= 55, `retry ${i} came after ${times[i]! - times[i - 1]!} ms`);
  });

  it("marks a refused message failed for good and sends the next one", async () => {
    const server = new FakeServer();
    server.faults = ["refuse"];
    const { outbox, sent, states } = setup(server);
    const refused = id();
    await outbox.add({ clientMsgId: refused, conversationId: C1, text: "refused" });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "next" });
    await until(() => sent.length === 1);
    assert.deepEqual(sent, ["next"]);
    assert.deepEqual(states.get(refused), { status: "failed", error: "Not found", retryable: false, attempts: 1 });
    outbox.retry(refused);
    await until(() => sent.length === 2);
    assert.deepEqual(server.stored.map((m) => m.text), ["next", "refused"]);
  });

  it("after its attempts a message shows failed and holds its queue; a reconnect sends all in order", async () => {
    const server = new FakeServer();
    server.faults = Array<Fault>(4).fill("timeout");
    const { outbox, sent, states } = setup(server);
    const first = id();
    const second = id();
    await outbox.add({ clientMsgId: first, conversationId: C1, text: "a" });
    await outbox.add({ clientMsgId: second, conversationId: C1, text: "b" });
    await until(() => states.get(second)?.status === "failed");
    assert.equal(states.get(first)?.status, "failed");
    assert.equal(server.attempts.length, 4, "the second message waited behind the first");
    outbox.wake();
    await until(() => sent.length === 2);
    assert.deepEqual(server.stored.map((m) => m.text), ["a", "b"]);
  });

  it("a failed queue tries again by itself after its rest, in order", async () => {
    const server = new FakeServer();
    server.faults = Array<Fault>(4).fill("timeout");
    const { outbox, sent, states } = setup(server, new MemoryOutboxStore(), { ...fast, restMs: 50 });
    const first = id();
    await outbox.add({ clientMsgId: first, conversationId: C1, text: "a" });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "b" });
    await until(() => states.get(first)?.status === "failed");
    await until(() => sent.length === 2);
    assert.deepEqual(server.stored.map((m) => m.text), ["a", "b"]);
    outbox.stop();
  });

  it("does not spend attempts while the device is offline", async () => {
    const server = new FakeServer();
    server.offline = true;
    const { outbox, sent } = setup(server, new MemoryOutboxStore(), { ...fast, maxDelayMs: 50 });
    await outbox.add({ clientMsgId: id(), conversationId: C1, text: "later" });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(server.attempts.length, 0);
    server.offline = false;
    outbox.wake();
    await until(() => sent.length === 1);
  });

  it("survives a reload: a new outbox on the same store sends what was left, once, in order", async () => {
    const server = new FakeServer();
    server.socket = false;
    const store = new MemoryOutboxStore();
    // The first page: everything times out, then the page goes away.
    server.faults = Array<Fault>(100).fill("timeout");
    const before = setup(server, store, { ...fast, attemptsBeforeFailed: 1000 });
    for (const text of ["1", "2", "3", "4", "5"]) await before.outbox.add({ clientMsgId: id(), conversationId: C1, text });
    await until(() => server.attempts.length >= 3);
    before.outbox.stop();
    server.faults = [];
    const after = setup(server, store);
    const loaded = await after.outbox.start();
    assert.deepEqual(loaded.map((e: OutboxEntry) => e.text), ["1", "2", "3", "4", "5"]);
    await until(() => after.sent.length === 5);
    assert.deepEqual(server.stored.map((m) => m.text), ["1", "2", "3", "4", "5"]);
    assert.deepEqual(await store.load(ME), []);
  });

  it("after a reload, a message written while the store is still being read goes after what was left", async () => {
    const server = new FakeServer();
    const store = new MemoryOutboxStore();
    const left = { clientMsgId: id(), userId: ME, conversationId: C1, text: "left", createdAt: new Date().toISOString(), order: Date.now() - 60_000 };
    await store.put(left);
    // Reading IndexedDB takes a moment; the user writes during it.
    let finishLoad!: () => void;
    const slow = Object.assign(Object.create(store) as MemoryOutboxStore, {
      load: async (userId: string) => {
        await new Promise<void>((resolve) => (finishLoad = resolve));
        return store.load(userId);
      },
    });
    const { outbox, sent, states } = setup(server, slow);
    const started = outbox.start();
    void outbox.add({ clientMsgId: id(), conversationId: C1, text: "new" });
    // Shown at once; sent only after the older message.
    assert.equal(states.size, 1);
    await new Promise((r) => setTimeout(r, 20));
    finishLoad();
    await started;
    await until(() => sent.length === 2);
    assert.deepEqual(server.stored.map((m) => m.text), ["left", "new"]);
  });

  it("backs off exponentially up to the ceiling, jittered to no less than half", () => {
    const policy: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 15_000, attemptsBeforeFailed: 8, restMs: 30_000, random: () => 1 };
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy)), [500, 1000, 2000, 4000, 8000, 15000, 15000]);
    assert.equal(backoffDelay(0, { ...policy, random: () => 0 }), 250);
    assert.deepEqual([0, 1, 2, 3].map((n) => transportFor(n, true)), ["socket", "socket", "http", "socket"]);
    assert.equal(transportFor(0, false), "http");
  });
});
