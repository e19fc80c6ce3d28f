// Typing over the real stack: relayed to the other members only, volatile, throttled by the
// server whatever the client sends, stopped when the typist's socket closes, and expiring by
// itself on the receiving client (the real ChatEngine) when the typist goes silent.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Socket } from "socket.io-client";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS, type TypingEvent } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { createEngine } from "../support/engine";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

const QUIET_MS = 300;

/** Every event a socket hears, by name. */
function everything(socket: TestSocket): string[] {
  const heard: string[] = [];
  (socket as unknown as Socket).onAny((event: string, payload: unknown) => heard.push(`${event} ${JSON.stringify(payload)}`));
  return heard;
}

describe("typing", { timeout: 120_000 }, () => {
  let stack: Stack;
  let ana: TestUser;
  let ben: TestUser;
  let stranger: TestUser;
  let direct: string;
  const pool = socketPool(() => stack);

  before(async () => {
    stack = await startStack();
    [ana, ben, stranger] = (await Promise.all(["Ana", "Ben", "Stranger"].map((n) => createUser(stack, `${n} Typing`)))) as [TestUser, TestUser, TestUser];
    direct = await openDirect(ana, ben);
  });

  after(async () => {
    pool.closeAll();
    await stack?.stop();
  });

  it("reaches the other members, not the typist's own tabs, and is acknowledged", async () => {
    const [anaTab, anaOtherTab, benTab] = await Promise.all([pool.open(ana), pool.open(ana), pool.open(ben)]);
    const benHears = collect<TypingEvent>(benTab, "typing");
    const ownTabHears = collect<TypingEvent>(anaOtherTab, "typing");
    const ack = await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
    assert.deepEqual(ack, { ok: true, data: {} });
    await waitFor(() => benHears.length === 1, { what: "Ben hearing Ana type" });
    assert.deepEqual(benHears, [{ conversationId: direct, userId: ana.id, typing: true }]);
    assert.deepEqual(await emitAck(anaTab, "typing", { conversationId: direct, typing: false }), { ok: true, data: {} });
    await waitFor(() => benHears.length === 2, { what: "Ben hearing Ana stop" });
    assert.deepEqual(benHears[1], { conversationId: direct, userId: ana.id, typing: false });
    await sleep(QUIET_MS);
    assert.deepEqual(ownTabHears, []);
  });

  it("from a non-member is NOT_FOUND, exactly as for a conversation that does not exist, and nobody hears it", async () => {
    const [anaTab, benTab, strangerTab] = await Promise.all([pool.open(ana), pool.open(ben), pool.open(stranger)]);
    // After what a connection brings (presence), so that only what the denials cause is left.
    await sleep(QUIET_MS);
    const heard = [anaTab, benTab].map(everything);
    const missing = await emitAck(strangerTab, "typing", { conversationId: randomBytes(12).toString("hex"), typing: true });
    assert.equal(missing.ok, false);
    for (const typing of [true, false, true]) {
      const denied = await emitAck(strangerTab, "typing", { conversationId: direct, typing });
      assert.deepEqual(denied, missing, "a stranger must get exactly what a missing conversation gets");
    }
    assert.ok(!missing.ok && missing.error.code === "NOT_FOUND", JSON.stringify(missing));
    await sleep(QUIET_MS);
    assert.deepEqual(heard.flat(), []);
    // Control: the same sockets do hear a member type.
    await emitAck(benTab, "typing", { conversationId: direct, typing: true });
    await waitFor(() => heard[0]!.length === 1, { what: "Ana hearing Ben type" });
  });

  it("is throttled by the server: one start per window, a stop only for a start that shows", async () => {
    const [anaTab, benTab] = await Promise.all([pool.open(ana), pool.open(ben)]);
    const benHears = collect<TypingEvent>(benTab, "typing");
    // A client that ignores the throttle: 20 starts at once.
    await Promise.all(Array.from({ length: 20 }, () => emitAck(anaTab, "typing", { conversationId: direct, typing: true })));
    // The server opened its window before Ben heard the start (timing from before the emits would
    // be too early when the server is slow to take the first one).
    await waitFor(() => benHears.length > 0, { what: "the first start" });
    const started = Date.now();
    await sleep(QUIET_MS);
    assert.deepEqual(benHears.map((e) => e.typing), [true]);
    // A stop goes through once; another has nothing to stop.
    await emitAck(anaTab, "typing", { conversationId: direct, typing: false });
    await emitAck(anaTab, "typing", { conversationId: direct, typing: false });
    // A start straight after a stop is still inside the window: dropped.
    await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
    await sleep(QUIET_MS);
    assert.deepEqual(benHears.map((e) => e.typing), [true, false]);
    // Once the window has passed, the next start goes through.
    await sleep(Math.max(0, started + TYPING_THROTTLE_MS + 50 - Date.now()));
    await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
    await waitFor(() => benHears.length === 3, { what: "the start after the window" });
    assert.deepEqual(benHears.map((e) => e.typing), [true, false, true]);
    // Each tab has its own window (another socket's start is not throttled by this one's).
    const anaOtherTab = await pool.open(ana);
    await emitAck(anaOtherTab, "typing", { conversationId: direct, typing: true });
    await waitFor(() => benHears.length === 4, { what: "the other tab's start" });
  });

  it("stops when the typist's socket closes, and a socket that was not typing stops nothing", async () => {
    const [anaTab, idleTab, benTab] = await Promise.all([pool.open(ana), pool.open(ana), pool.open(ben)]);
    const benHears = collect<TypingEvent>(benTab, "typing");
    await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
    await waitFor(() => benHears.length === 1, { what: "the start" });
    idleTab.disconnect();
    await sleep(QUIET_MS);
    assert.equal(benHears.length, 1, "an idle tab closing stopped something");
    anaTab.disconnect();
    await waitFor(() => benHears.length === 2, { what: "the stop on disconnect" });
    assert.deepEqual(benHears[1], { conversationId: direct, userId: ana.id, typing: false });
  });

  it("expires by itself on the receiver when the typist goes silent, and clears on their message", async () => {
    const benEngine = createEngine(stack, ben, { initialConversations: [] });
    const typists = () => benEngine.getState().presence.typing[direct] ?? [];
    try {
      await benEngine.start();
      await waitFor(() => benEngine.getState().connection === "connected", { what: "Ben's engine connecting" });
      const benRaw = await pool.open(ben);
      const rawHears = collect<TypingEvent>(benRaw, "typing");
      const anaTab = await pool.open(ana);

      // One start, then silence: no stop ever comes (a lost stop, a client that crashed).
      await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
      const shownAt = Date.now();
      await waitFor(() => typists().length === 1, { what: "Ben's engine showing Ana typing" });
      assert.deepEqual(typists(), [ana.id]);
      await sleep(TYPING_EXPIRES_MS - 1_000);
      assert.deepEqual(typists(), [ana.id], "gone before its time");
      await waitFor(() => typists().length === 0, { timeoutMs: 2_000, what: "the indicator expiring by itself" });
      assert.ok(Date.now() - shownAt <= TYPING_EXPIRES_MS + 500, `took ${Date.now() - shownAt} ms`);
      // The server knows it expired too: a late stop is not relayed.
      await emitAck(anaTab, "typing", { conversationId: direct, typing: false });
      await sleep(QUIET_MS);
      assert.deepEqual(rawHears.map((e) => e.typing), [true]);

      // A message from the typist ends it at once, without waiting for a stop.
      await emitAck(anaTab, "typing", { conversationId: direct, typing: true });
      await waitFor(() => typists().length === 1, { what: "Ana typing again" });
      const sent = await emitAck<{ message: MessageDto }>(anaTab, "message:send", { conversationId: direct, clientMsgId: randomUUID(), text: "done typing" });
      assert.ok(sent.ok);
      await waitFor(() => typists().length === 0, { timeoutMs: 1_000, what: "the indicator clearing on Ana's message" });
    } finally {
      benEngine.close();
    }
  });

  it("is sent by the real client at most once per window, and stopped on send", async () => {
    const anaEngine = createEngine(stack, ana, { initialConversations: [] });
    const benTab = await pool.open(ben);
    const benHears = collect<TypingEvent>(benTab, "typing");
    try {
      await anaEngine.start();
      await waitFor(() => anaEngine.getState().connection === "connected", { what: "Ana's engine connecting" });
      let text = "";
      for (const key of "hello there") {
        text += key;
        anaEngine.presence.typing(direct, text);
        await sleep(50);
      }
      await sleep(QUIET_MS);
      assert.deepEqual(benHears.map((e) => e.typing), [true]);
      await anaEngine.send(direct, text);
      await waitFor(() => benHears.length === 2, { what: "the stop on send" });
      assert.equal(benHears[1]!.typing, false);
    } finally {
      anaEngine.close();
    }
  });
});
