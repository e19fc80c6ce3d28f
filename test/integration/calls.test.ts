// Calls over the real stack (DESIGN.md "Calls"): every tab of the callee rings, the first answer
// wins and the other tabs stop in silence, signals go only between the two party tabs, and every
// way a call can end (declined, no answer, busy, cancelled, glare, a tab that goes away, a socket
// server killed mid-ring) leaves exactly one entry in the conversation, written by the server.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import type { Socket } from "socket.io-client";
import type { CallSignalBody } from "../../lib/schemas/call";
import type { CallDto, MessageDto } from "../../lib/schemas/dto";
import { redisMissing, startRedis, type TestRedis } from "../support/redis";
import { startStack, type SocketInstance, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, openRecoverable, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

type Invited = { call: CallDto; partyId: string | null; role: "caller" | "callee" };
type Answered = { call: CallDto; partyId: string };
type CallEvent = { call: CallDto };
type SignalEvent = { callId: string; signal: CallSignalBody };

const RING_SECONDS = 2;
const GRACE_SECONDS = 1;
const QUIET_MS = 300;
const offer: CallSignalBody = { description: { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } };

/** Polls an async probe until it gives a value. */
async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Every call event a socket hears, in order. */
function listen(socket: TestSocket) {
  const heard: { event: string; payload: CallEvent & SignalEvent }[] = [];
  (socket as unknown as Socket).onAny((event: string, payload: CallEvent & SignalEvent) => {
    if (event.startsWith("call:")) heard.push({ event, payload });
  });
  return {
    heard,
    names: (callId: string) => heard.filter((h) => (h.payload.call?.id ?? h.payload.callId) === callId).map((h) => h.event),
    ended: (callId: string) => heard.find((h) => h.event === "call:ended" && h.payload.call.id === callId)?.payload.call,
  };
}

describe("calls", { timeout: 180_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let ana: TestUser, ben: TestUser, cy: TestUser, dee: TestUser;
  let anaBen: string, cyBen: string, anaCy: string;
  let round = 0;
  /** Fresh people for each test, so a call one test leaves live cannot make another's busy. */
  async function people() {
    round += 1;
    [ana, ben, cy] = (await Promise.all(["Ana", "Ben", "Cy"].map((n) => createUser(stack, `${n} Calls${round}`)))) as [TestUser, TestUser, TestUser];
    [anaBen, cyBen, anaCy] = await Promise.all([openDirect(ana, ben), openDirect(cy, ben), openDirect(ana, cy)]);
  }
  const pool = socketPool(() => stack);

  const entries = async (conversationId: string) =>
    db
      .db(stack.env.MONGODB_DB)
      .collection("messages")
      .find({ conversationId: new (await import("mongodb")).ObjectId(conversationId), kind: "call" })
      .sort({ seq: 1 })
      .toArray();

  const invite = async (socket: TestSocket, conversationId: string, media: "audio" | "video" = "video", callId = randomUUID()) => {
    const ack = await emitAck<Invited>(socket, "call:invite", { conversationId, callId, media });
    assert.ok(ack.ok, `call:invite: ${JSON.stringify(ack)}`);
    return ack.data;
  };

  before(async () => {
    stack = await startStack({ env: { CALL_RING_SECONDS: String(RING_SECONDS), CALL_GRACE_SECONDS: String(GRACE_SECONDS) } });
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    dee = await createUser(stack, "Dee Calls");
  });

  beforeEach(() => people());

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  it("rings every tab of the callee; the first answer wins, the other tab stops at once; signals go only between the two parties; hanging up records the duration once", async () => {
    const [a1, a2, b1, b2] = await Promise.all([pool.open(ana), pool.open(ana), pool.open(ben), pool.open(ben)]);
    const [la1, la2, lb1, lb2] = [a1, a2, b1, b2].map(listen) as [ReturnType<typeof listen>, ReturnType<typeof listen>, ReturnType<typeof listen>, ReturnType<typeof listen>];
    const created = collect<{ message: MessageDto }>(b2, "message:created");

    const placed = await invite(a1, anaBen, "video");
    assert.equal(placed.role, "caller");
    assert.equal(placed.call.state, "ringing");
    assert.ok(placed.partyId);
    assert.ok(placed.call.ringMs > 0 && placed.call.ringMs <= RING_SECONDS * 1000);
    const id = placed.call.id;
    await waitFor(() => lb1.names(id).includes("call:ringing") && lb2.names(id).includes("call:ringing") && la2.names(id).includes("call:ringing"), { what: "ringing on every tab" });
    assert.deepEqual(la1.names(id), [], "the calling tab is told by its ack, not by a broadcast");
    // The payload carries no party ids: a third tab cannot take the call over.
    assert.ok(!JSON.stringify(la2.heard).includes(placed.partyId!));

    const answered = await emitAck<Answered>(b1, "call:answer", { callId: id, media: "audio" });
    assert.ok(answered.ok, JSON.stringify(answered));
    assert.equal(answered.data.call.state, "connecting");
    assert.equal(answered.data.call.answeredMedia, "audio");
    const second = await emitAck(b2, "call:answer", { callId: id, media: "video" });
    assert.ok(!second.ok && second.error.code === "CONFLICT", JSON.stringify(second));
    await waitFor(() => lb2.names(id).includes("call:answered-elsewhere") && la1.names(id).includes("call:answered"), { what: "answer fan-out" });
    assert.ok(!lb1.names(id).includes("call:answered-elsewhere"), "the answering tab is not told it answered elsewhere");

    // Signals: caller → answering tab only, and back.
    const relayed = await emitAck(a1, "call:signal", { callId: id, partyId: placed.partyId, signal: offer });
    assert.ok(relayed.ok, JSON.stringify(relayed));
    const back = await emitAck(b1, "call:signal", { callId: id, partyId: answered.data.partyId, signal: { candidate: { candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0 } } });
    assert.ok(back.ok);
    await waitFor(() => lb1.heard.some((h) => h.event === "call:signal") && la1.heard.some((h) => h.event === "call:signal"), { what: "signals relayed" });
    assert.deepEqual(lb1.heard.find((h) => h.event === "call:signal")!.payload, { callId: id, signal: offer });
    // The caller's third tab and the callee's other tab cannot inject, and hear nothing relayed.
    for (const [socket, partyId] of [
      [a2, placed.partyId],
      [b2, answered.data.partyId],
      [a2, "A".repeat(24)],
    ] as const) {
      const injected = await emitAck(socket, "call:signal", { callId: id, partyId, signal: offer });
      assert.ok(!injected.ok && injected.error.code === "FORBIDDEN", JSON.stringify(injected));
    }
    await sleep(QUIET_MS);
    assert.ok(!lb2.heard.some((h) => h.event === "call:signal") && !la2.heard.some((h) => h.event === "call:signal"), "signals reached a tab outside the call");
    assert.equal(lb1.heard.filter((h) => h.event === "call:signal").length, 1);

    const connected = await emitAck<CallEvent>(b1, "call:connected", { callId: id, partyId: answered.data.partyId });
    assert.ok(connected.ok && connected.data.call.state === "active" && connected.data.call.connectedAt);
    const again = await emitAck<CallEvent>(a1, "call:connected", { callId: id, partyId: placed.partyId });
    assert.ok(again.ok && again.data.call.connectedAt === connected.data.call.connectedAt, "a second report changes nothing");
    await sleep(1_100);
    const hung = await emitAck<CallEvent>(a1, "call:hangup", { callId: id, partyId: placed.partyId });
    assert.ok(hung.ok && hung.data.call.outcome === "completed", JSON.stringify(hung));
    for (const l of [la1, la2, lb1, lb2]) await waitFor(() => l.ended(id), { what: "call:ended on every tab" });
    const entry = await waitFor(() => created.find((c) => c.message.kind === "call")?.message, { what: "the entry" });
    assert.match(entry.text, /^Video call · 0:0[1-3]$/);
    assert.deepEqual({ ...entry.call, durationMs: undefined }, { id, media: "video", outcome: "completed", callerId: ana.id, durationMs: undefined });
    // Hanging up twice is harmless and writes nothing more.
    const twice = await emitAck<CallEvent>(b1, "call:hangup", { callId: id, partyId: answered.data.partyId });
    assert.ok(twice.ok && twice.data.call.outcome === "completed");
    await sleep(QUIET_MS);
    assert.equal((await entries(anaBen)).filter((m) => m.call.id === id).length, 1);
    // After the end, signals are refused.
    const late = await emitAck(a1, "call:signal", { callId: id, partyId: placed.partyId, signal: offer });
    assert.ok(!late.ok && late.error.code === "CONFLICT");
    // The entry counts as unread for the callee like any message, and not for the caller.
    const list = (await (await ben.api("/api/conversations")).json()) as { conversations: { id: string; unreadCount: number; lastMessage: { kind: string; preview: string } }[] };
    const row = list.conversations.find((c) => c.id === anaBen)!;
    assert.equal(row.lastMessage.kind, "call");
    assert.equal(row.lastMessage.preview, entry.text);
    assert.ok(row.unreadCount >= 1);
    const anaList = (await (await ana.api("/api/conversations")).json()) as { conversations: { id: string; unreadCount: number }[] };
    assert.equal(anaList.conversations.find((c) => c.id === anaBen)!.unreadCount, 0);
    pool.closeAll();
  });

  it("declining on one tab stops every tab and tells the caller; the entry says declined", async () => {
    const [a1, b1, b2] = await Promise.all([pool.open(ana), pool.open(ben), pool.open(ben)]);
    const [la1, lb1, lb2] = [a1, b1, b2].map(listen) as [ReturnType<typeof listen>, ReturnType<typeof listen>, ReturnType<typeof listen>];
    const placed = await invite(a1, anaBen, "audio");
    await waitFor(() => lb2.names(placed.call.id).includes("call:ringing"));
    const declined = await emitAck<CallEvent>(b1, "call:reject", { callId: placed.call.id });
    assert.ok(declined.ok && declined.data.call.outcome === "declined");
    for (const l of [la1, lb1, lb2]) assert.equal((await waitFor(() => l.ended(placed.call.id))).outcome, "declined");
    // The caller cannot "decline" their own call, and a declined call cannot be answered.
    const answer = await emitAck(b2, "call:answer", { callId: placed.call.id, media: "audio" });
    assert.ok(!answer.ok && answer.error.code === "CONFLICT");
    const entry = await eventually(async () => (await entries(anaBen)).find((m) => m.call.id === placed.call.id), "entry");
    assert.equal(entry.text, "Declined voice call");
    pool.closeAll();
  });

  it("nobody answers: both sides stop after CALL_RING_SECONDS and the conversation records a missed call", async () => {
    const [a1, b1] = await Promise.all([pool.open(ana), pool.open(ben)]);
    const [la1, lb1] = [a1, b1].map(listen) as [ReturnType<typeof listen>, ReturnType<typeof listen>];
    const started = Date.now();
    const placed = await invite(a1, anaBen, "audio");
    const ended = await waitFor(() => la1.ended(placed.call.id), { timeoutMs: (RING_SECONDS + 3) * 1000, what: "missed" });
    const took = Date.now() - started;
    assert.equal(ended.outcome, "missed");
    assert.ok(took >= RING_SECONDS * 1000 - 50 && took < (RING_SECONDS + 2) * 1000, `ended after ${took} ms`);
    await waitFor(() => lb1.ended(placed.call.id), { what: "callee told" });
    const entry = await eventually(async () => (await entries(anaBen)).find((m) => m.call.id === placed.call.id), "entry");
    assert.equal(entry.text, "Missed voice call");
    pool.closeAll();
  });

  it("calling someone already in a call: busy at once, their tabs do not ring, one busy entry; glare: one call survives and connects", async () => {
    const [a1, b1, c1] = await Promise.all([pool.open(ana), pool.open(ben), pool.open(cy)]);
    const [lb1, lc1] = [b1, c1].map(listen) as [ReturnType<typeof listen>, ReturnType<typeof listen>];
    const first = await invite(a1, anaBen, "audio");
    await waitFor(() => lb1.names(first.call.id).includes("call:ringing"));
    const busy = await invite(c1, cyBen, "video");
    assert.equal(busy.call.state, "ended");
    assert.equal(busy.call.outcome, "busy");
    assert.equal(busy.partyId, null);
    await sleep(QUIET_MS);
    assert.deepEqual(lb1.names(busy.call.id), ["call:ended"], "the busy person's tabs did not ring");
    assert.ok(lc1.ended(busy.call.id));
    assert.equal((await entries(cyBen)).filter((m) => m.call.id === busy.call.id).length, 1);
    // The caller in a call cannot place another.
    const twice = await emitAck(a1, "call:invite", { conversationId: anaCy, callId: randomUUID(), media: "audio" });
    assert.ok(!twice.ok && twice.error.code === "CONFLICT");
    // Glare: Ben calls Ana back while Ana's call rings for him: it connects, no busy, no entry.
    const glare = await invite(b1, anaBen, "video");
    assert.equal(glare.role, "callee");
    assert.equal(glare.call.id, first.call.id);
    assert.equal(glare.call.state, "connecting");
    assert.ok(glare.partyId);
    await sleep(QUIET_MS);
    assert.equal((await entries(anaBen)).filter((m) => m.call.id === first.call.id).length, 0);
    const hung = await emitAck<CallEvent>(b1, "call:hangup", { callId: first.call.id, partyId: glare.partyId });
    assert.ok(hung.ok && hung.data.call.outcome === "failed", "hung up before connecting");
    pool.closeAll();
  });

  it("both calling each other at the same moment: exactly one call, connected, and no busy or missed entry", async () => {
    for (let round = 0; round < 5; round++) {
      const [a1, b1] = await Promise.all([pool.open(ana), pool.open(ben)]);
      const before = (await entries(anaBen)).length;
      const [x, y] = await Promise.all([
        emitAck<Invited>(a1, "call:invite", { conversationId: anaBen, callId: randomUUID(), media: "video" }),
        emitAck<Invited>(b1, "call:invite", { conversationId: anaBen, callId: randomUUID(), media: "video" }),
      ]);
      assert.ok(x.ok && y.ok, JSON.stringify([x, y]));
      assert.equal(x.data.call.id, y.data.call.id, "both ended up in one call");
      assert.deepEqual([x.data.role, y.data.role].sort(), ["callee", "caller"]);
      const callee = x.data.role === "callee" ? { s: a1, p: x.data.partyId } : { s: b1, p: y.data.partyId };
      assert.equal((x.data.role === "callee" ? x : y).data.call.state, "connecting");
      await sleep(100);
      assert.equal((await entries(anaBen)).length, before, "no busy or missed entry");
      await emitAck(callee.s, "call:hangup", { callId: x.data.call.id, partyId: callee.p });
      pool.closeAll();
    }
  });

  it("the caller cancels before an answer: every tab stops, the entry says cancelled; a repeated invite does not ring twice", async () => {
    const [a1, b1] = await Promise.all([pool.open(ana), pool.open(ben)]);
    const lb1 = listen(b1);
    const callId = randomUUID();
    const placed = await invite(a1, anaBen, "audio", callId);
    const repeat = await invite(a1, anaBen, "audio", callId);
    assert.equal(repeat.partyId, placed.partyId);
    await sleep(QUIET_MS);
    assert.equal(lb1.names(callId).filter((n) => n === "call:ringing").length, 1);
    // Someone else reusing the id is refused.
    const c1 = await pool.open(cy);
    const stolen = await emitAck(c1, "call:invite", { conversationId: cyBen, callId, media: "audio" });
    assert.ok(!stolen.ok && stolen.error.code === "CONFLICT");
    const cancelled = await emitAck<CallEvent>(a1, "call:hangup", { callId, partyId: placed.partyId });
    assert.ok(cancelled.ok && cancelled.data.call.outcome === "cancelled");
    assert.equal((await waitFor(() => lb1.ended(callId))).outcome, "cancelled");
    assert.equal((await eventually(async () => (await entries(anaBen)).find((m) => m.call.id === callId), "entry")).text, "Cancelled voice call");
    pool.closeAll();
  });

  it("a party's socket that drops comes back within the grace period and the call goes on; one that does not come back ends it for the other side", async () => {
    const b1 = await pool.open(ben);
    const lb1 = listen(b1);
    // Ana's tab reconnects by itself, as the browser's does.
    const a1 = openRecoverable(stack, ana.token, { delayMs: 100 });
    await new Promise<void>((resolve) => a1.once("connect", () => resolve()));
    const placed = await invite(a1, anaBen, "video");
    const answered = await emitAck<Answered>(b1, "call:answer", { callId: placed.call.id, media: "video" });
    assert.ok(answered.ok);
    await emitAck(b1, "call:connected", { callId: placed.call.id, partyId: answered.data.partyId });
    // Drop Ana's transport; she resumes from the new socket within the grace period.
    (a1 as unknown as { io: { engine: { close(): void } } }).io.engine.close();
    await new Promise<void>((resolve) => a1.once("connect", () => resolve()));
    const resumed = await emitAck<CallEvent>(a1, "call:resume", { callId: placed.call.id, partyId: placed.partyId });
    assert.ok(resumed.ok && resumed.data.call.state === "active", JSON.stringify(resumed));
    await sleep(GRACE_SECONDS * 1000 + 1_500);
    assert.equal(lb1.ended(placed.call.id), undefined, "the call survived the reconnect");
    // Signals reach her new socket.
    const heard = collect<SignalEvent>(a1, "call:signal");
    await emitAck(b1, "call:signal", { callId: placed.call.id, partyId: answered.data.partyId, signal: { media: { muted: true, cameraOff: false } } });
    await waitFor(() => heard.length === 1, { what: "signal to the resumed socket" });

    // Now her tab goes for good: after the grace period the call ends for Ben, completed.
    a1.disconnect();
    const started = Date.now();
    const ended = await waitFor(() => lb1.ended(placed.call.id), { timeoutMs: GRACE_SECONDS * 1000 + 4_000, what: "end after grace" });
    assert.equal(ended.outcome, "completed");
    assert.ok(Date.now() - started >= GRACE_SECONDS * 1000 - 100);
    assert.equal((await entries(anaBen)).filter((m) => m.call.id === placed.call.id).length, 1);
    pool.closeAll();
  });

  it("refuses what is not a 1:1 call between members: groups, strangers, the wrong person's requests", async () => {
    const [a1, b1, d1] = await Promise.all([pool.open(ana), pool.open(ben), pool.open(dee)]);
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "No calls", memberIds: [ben.id, cy.id] }) });
    const group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const group1 = await emitAck(a1, "call:invite", { conversationId: group, callId: randomUUID(), media: "audio" });
    assert.ok(!group1.ok && group1.error.code === "FORBIDDEN", JSON.stringify(group1));
    const stranger = await emitAck(d1, "call:invite", { conversationId: anaBen, callId: randomUUID(), media: "audio" });
    assert.ok(!stranger.ok && stranger.error.code === "NOT_FOUND");
    const placed = await invite(a1, anaBen, "audio");
    const id = placed.call.id;
    for (const [event, payload] of [
      ["call:answer", { callId: id, media: "audio" }],
      ["call:reject", { callId: id }],
      ["call:hangup", { callId: id, partyId: placed.partyId }],
      ["call:resume", { callId: id, partyId: placed.partyId }],
      ["call:connected", { callId: id, partyId: placed.partyId }],
      ["call:signal", { callId: id, partyId: placed.partyId, signal: offer }],
    ] as const) {
      const ack = await emitAck(d1, event, payload);
      assert.ok(!ack.ok && ack.error.code === "NOT_FOUND", `${event} by a stranger: ${JSON.stringify(ack)}`);
    }
    const own = await emitAck(a1, "call:answer", { callId: id, media: "audio" });
    assert.ok(!own.ok && own.error.code === "FORBIDDEN", "the caller cannot answer their own call");
    const early = await emitAck(a1, "call:signal", { callId: id, partyId: placed.partyId, signal: offer });
    assert.ok(!early.ok && early.error.code === "CONFLICT", "no signals before an answer");
    await emitAck(a1, "call:hangup", { callId: id, partyId: placed.partyId });
    await sleep(QUIET_MS);
    assert.ok(b1.connected && d1.connected);
    pool.closeAll();
  });

  it("a socket server killed mid-ring: the call ends as failed once its lease lapses, with one entry, and never rings on", async () => {
    const [a1, b1] = await Promise.all([pool.open(ana), pool.open(ben)]);
    const placed = await invite(a1, anaBen, "audio");
    await sleep(100);
    await stack.stopSocket("SIGKILL");
    await stack.startSocket();
    const b2 = await pool.open(ben);
    const lb2 = listen(b2);
    void b1;
    const ended = await waitFor(() => lb2.ended(placed.call.id), { timeoutMs: 15_000, what: "failed after the lease" });
    assert.equal(ended.outcome, "failed");
    assert.equal((await entries(anaBen)).filter((m) => m.call.id === placed.call.id).length, 1);
    pool.closeAll();
  });
});

describe("calls across two socket servers over Redis", { skip: redisMissing() ?? false, timeout: 120_000 }, () => {
  let redis: TestRedis;
  let stack: Stack;
  let second: SocketInstance;
  const sockets: TestSocket[] = [];
  const open = async (url: string, user: TestUser) => {
    const socket = await connect({ ...stack, socketUrl: url }, { token: user.token });
    sockets.push(socket);
    return socket;
  };

  before(async () => {
    redis = await startRedis();
    stack = await startStack({ env: { REDIS_URL: redis.url, CALL_RING_SECONDS: "30", CALL_GRACE_SECONDS: String(GRACE_SECONDS) } });
    second = await stack.startSocketInstance();
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
    await redis?.stop();
  });

  it("rings, answers, relays signals and tells busy across instances; an instance that dies mid-call ends it for the other side", async () => {
    const [ana, ben, cy] = (await Promise.all(["Ana", "Ben", "Cy"].map((n) => createUser(stack, `${n} Calls Redis`)))) as [TestUser, TestUser, TestUser];
    const [anaBen, cyBen] = await Promise.all([openDirect(ana, ben), openDirect(cy, ben)]);
    // Ana on the first instance; Ben on both; Cy on the second.
    const a1 = await open(stack.socketUrl, ana);
    const [b1, b2, c2] = await Promise.all([open(stack.socketUrl, ben), open(second.url, ben), open(second.url, cy)]);
    const [la1, lb1, lb2] = [a1, b1, b2].map(listen) as [ReturnType<typeof listen>, ReturnType<typeof listen>, ReturnType<typeof listen>];

    const placed = await emitAck<Invited>(a1, "call:invite", { conversationId: anaBen, callId: randomUUID(), media: "video" });
    assert.ok(placed.ok);
    const id = placed.data.call.id;
    await waitFor(() => lb1.names(id).includes("call:ringing") && lb2.names(id).includes("call:ringing"), { what: "ringing on both instances" });
    // Ben answers on the second instance; his tab on the first stops ringing.
    const answered = await emitAck<Answered>(b2, "call:answer", { callId: id, media: "video" });
    assert.ok(answered.ok);
    await waitFor(() => la1.names(id).includes("call:answered") && lb1.names(id).includes("call:answered-elsewhere"), { what: "answer across instances" });
    await emitAck(a1, "call:signal", { callId: id, partyId: placed.data.partyId, signal: offer });
    await waitFor(() => lb2.heard.some((h) => h.event === "call:signal"), { what: "signal across instances" });
    assert.ok(!lb1.heard.some((h) => h.event === "call:signal"));
    await emitAck(b2, "call:connected", { callId: id, partyId: answered.data.partyId });

    // Cy, on the second instance, calls Ben, who is in a call held by both: busy at once.
    const busy = await emitAck<Invited>(c2, "call:invite", { conversationId: cyBen, callId: randomUUID(), media: "audio" });
    assert.ok(busy.ok && busy.data.call.outcome === "busy", JSON.stringify(busy));
    await sleep(QUIET_MS);
    assert.ok(!lb1.names(busy.data.call.id).includes("call:ringing") && !lb2.names(busy.data.call.id).includes("call:ringing"));

    // The instance holding Ben's answering tab dies: his lease lapses and Ana hears the end.
    await second.stop("SIGKILL");
    const ended = await waitFor(() => la1.ended(id), { timeoutMs: 20_000, what: "the end after the lease lapsed" });
    assert.equal(ended.outcome, "completed");
  });
});
