// Receipts end to end: conversation:delivered and conversation:read move a member's watermarks,
// which only rise and never pass the last message, and every move reaches the conversation's
// room (the other members' ticks, the member's own other tabs) and the conversation list.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type { ReceiptEvent } from "../../lib/realtime/events";
import { INTERNAL_EVENTS_PATH, INTERNAL_SECRET_HEADER } from "../../lib/fanout/internal-events";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, waitFor, type TestSocket, type TestUser } from "../support/users";

type Delivered = { lastDeliveredSeq: number };
type Read = { lastReadSeq: number };

async function sendSocket(socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> {
  const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

async function emitOk<T>(socket: TestSocket, event: "conversation:delivered" | "conversation:read", payload: object): Promise<T> {
  const ack = await emitAck<T>(socket, event, payload);
  assert.ok(ack.ok, `${event} failed: ${JSON.stringify(ack)}`);
  return ack.data;
}

async function conversations(user: TestUser): Promise<ConversationDto[]> {
  const response = await user.api("/api/conversations");
  assert.equal(response.status, 200);
  return ((await response.json()) as { conversations: ConversationDto[] }).conversations;
}

describe("receipts", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  /** A third member of every conversation below (a group needs two others besides its creator); never online. */
  let dave: TestUser;
  /** Alice, Bob in two tabs, and Carol, who is in none of the conversations below. */
  let sockets: { alice: TestSocket; bob: TestSocket; bobOther: TestSocket; carol: TestSocket };
  let received: Record<keyof typeof sockets, ReceiptEvent[]>;

  before(async () => {
    stack = await startStack();
    [alice, bob, carol, dave] = (await Promise.all(["Alice", "Bob", "Carol", "Dave"].map((name) => createUser(stack, `${name} Receipts`)))) as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    const [a, b, b2, c] = await Promise.all([alice, bob, bob, carol].map((user) => connect(stack, { token: user.token })));
    sockets = { alice: a!, bob: b!, bobOther: b2!, carol: c! };
    received = {
      alice: collect<ReceiptEvent>(sockets.alice, "receipt"),
      bob: collect<ReceiptEvent>(sockets.bob, "receipt"),
      bobOther: collect<ReceiptEvent>(sockets.bobOther, "receipt"),
      carol: collect<ReceiptEvent>(sockets.carol, "receipt"),
    };
  });

  after(async () => {
    for (const socket of Object.values(sockets ?? {})) socket.disconnect();
    await stack?.stop();
  });

  /** A conversation of its own per test (Alice, Bob and Dave), so receipts of one test never meet another's. */
  async function freshConversation(name: string): Promise<string> {
    const response = await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name, memberIds: [bob.id, dave.id] }) });
    assert.equal(response.status, 201);
    // The creation is announced before the answer, so every live socket of both is in its room now.
    return ((await response.json()) as { conversation: ConversationDto }).conversation.id;
  }

  const receiptsIn = (who: keyof typeof sockets, conversationId: string) => received[who].filter((r) => r.conversationId === conversationId);

  async function waitForReceipt(who: keyof typeof sockets, expected: ReceiptEvent): Promise<void> {
    await waitFor(() => receiptsIn(who, expected.conversationId).some((r) => isDeepStrictEqual(r, expected)), {
      what: `${who}'s receipt ${JSON.stringify(expected)} (has ${JSON.stringify(receiptsIn(who, expected.conversationId))})`,
    });
  }

  it("sends Bob's conversation:delivered to Alice and to Bob's other tab as a receipt", async () => {
    const conversationId = await freshConversation("Delivered");
    await sendSocket(sockets.alice, conversationId, "one");
    const second = await sendSocket(sockets.alice, conversationId, "two");

    const ack = await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: second.seq });
    assert.deepEqual(ack, { lastDeliveredSeq: second.seq });

    const expected: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: second.seq, readSeq: 0 };
    await Promise.all([waitForReceipt("alice", expected), waitForReceipt("bobOther", expected), waitForReceipt("bob", expected)]);
    assert.deepEqual(receiptsIn("alice", conversationId), [expected], "exactly one receipt, with nothing else in it");
    assert.deepEqual(receiptsIn("carol", conversationId), [], "not a member, not told");
  });

  it("raises both watermarks on conversation:read and broadcasts them", async () => {
    const conversationId = await freshConversation("Read");
    const messages = [];
    for (const text of ["a", "b", "c"]) messages.push(await sendSocket(sockets.alice, conversationId, text));
    const [first, , last] = messages as [MessageDto, MessageDto, MessageDto];

    await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: first.seq });
    await waitForReceipt("alice", { conversationId, userId: bob.id, deliveredSeq: first.seq, readSeq: 0 });

    const read = await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: last.seq });
    assert.deepEqual(read, { lastReadSeq: last.seq });
    const expected: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: last.seq, readSeq: last.seq };
    await Promise.all([waitForReceipt("alice", expected), waitForReceipt("bobOther", expected)]);

    // Reading delivered too: a later delivered below the read watermark reports it, and moves nothing.
    const delivered = await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: first.seq });
    assert.deepEqual(delivered, { lastDeliveredSeq: last.seq });
  });

  it("never lowers a watermark, caps it at the last seq, and broadcasts nothing for a repeat", async () => {
    const conversationId = await freshConversation("Capped");

    // Nothing to deliver yet: capped at 0, nothing moves.
    assert.deepEqual(await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: 5 }), { lastDeliveredSeq: 0 });
    assert.deepEqual(await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: 5 }), { lastReadSeq: 0 });

    await sendSocket(sockets.alice, conversationId, "x");
    const last = await sendSocket(sockets.alice, conversationId, "y");

    assert.deepEqual(await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: 999 }), { lastDeliveredSeq: last.seq });
    const capped: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: last.seq, readSeq: 0 };
    await waitForReceipt("alice", capped);

    // Repeats and lower values answer the current watermark and change nothing.
    assert.deepEqual(await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: 999 }), { lastDeliveredSeq: last.seq });
    assert.deepEqual(await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: last.seq }), { lastDeliveredSeq: last.seq });
    assert.deepEqual(await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: 1 }), { lastDeliveredSeq: last.seq });

    assert.deepEqual(await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: last.seq }), { lastReadSeq: last.seq });
    const read: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: last.seq, readSeq: last.seq };
    await waitForReceipt("alice", read);
    assert.deepEqual(await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: 1 }), { lastReadSeq: last.seq });
    assert.deepEqual(await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: 999 }), { lastReadSeq: last.seq });

    // A marker that does broadcast: every receipt emitted before it has arrived once it has.
    const next = await sendSocket(sockets.alice, conversationId, "z");
    await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: next.seq });
    const marker: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: next.seq, readSeq: next.seq };
    await waitForReceipt("alice", marker);
    await waitForReceipt("bobOther", marker);
    assert.deepEqual(receiptsIn("alice", conversationId), [capped, read, marker], "the repeats and lower values broadcast nothing");
    assert.deepEqual(receiptsIn("bobOther", conversationId), [capped, read, marker]);
  });

  it("answers a non-member with NOT_FOUND and broadcasts nothing", async () => {
    const conversationId = await freshConversation("Private");
    const message = await sendSocket(sockets.alice, conversationId, "not for carol");
    const unknown = "0123456789abcdef01234567";

    for (const event of ["conversation:delivered", "conversation:read"] as const) {
      for (const target of [conversationId, unknown]) {
        const ack = await emitAck<unknown>(sockets.carol, event, { conversationId: target, seq: message.seq });
        assert.equal(ack.ok, false, `${event} by a non-member was accepted`);
        if (!ack.ok) assert.deepEqual({ code: ack.error.code, retryable: ack.error.retryable }, { code: "NOT_FOUND", retryable: false });
      }
    }

    await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: message.seq });
    const marker: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: message.seq, readSeq: 0 };
    await waitForReceipt("alice", marker);
    assert.deepEqual(receiptsIn("alice", conversationId), [marker], "the refused requests broadcast nothing");
    assert.ok(!received.alice.some((r) => r.userId === carol.id), "no receipt carries the non-member");

    const members = (await conversations(alice)).find((c) => c.id === conversationId)?.members.map((m) => m.id).sort();
    assert.deepEqual(members, [alice.id, bob.id, dave.id].sort(), "nothing was stored for the non-member");
  });

  it("shows every member's watermarks in GET /api/conversations", async () => {
    const conversationId = await freshConversation("Listed");
    const first = await sendSocket(sockets.alice, conversationId, "1");
    const last = await sendSocket(sockets.alice, conversationId, "2");
    await emitOk<Read>(sockets.bob, "conversation:read", { conversationId, seq: first.seq });
    await emitOk<Delivered>(sockets.bob, "conversation:delivered", { conversationId, seq: last.seq });

    for (const viewer of [alice, bob]) {
      const conversation = (await conversations(viewer)).find((c) => c.id === conversationId);
      assert.ok(conversation, `${viewer.name} sees the conversation`);
      const watermarks = Object.fromEntries(conversation.members.map((m) => [m.id, { deliveredSeq: m.deliveredSeq, readSeq: m.readSeq }]));
      assert.deepEqual(watermarks, {
        // The sender has read their own messages.
        [alice.id]: { deliveredSeq: last.seq, readSeq: last.seq },
        [bob.id]: { deliveredSeq: last.seq, readSeq: first.seq },
        [dave.id]: { deliveredSeq: 0, readSeq: 0 },
      });
    }
  });

  it("fans a receipt announced over HTTP out to the conversation's room", async () => {
    const conversationId = await freshConversation("Announced");
    const message = await sendSocket(sockets.alice, conversationId, "via http");
    const receipt: ReceiptEvent = { conversationId, userId: bob.id, deliveredSeq: message.seq, readSeq: message.seq };
    const response = await fetch(new URL(INTERNAL_EVENTS_PATH, stack.socketUrl), {
      method: "POST",
      headers: { "content-type": "application/json", [INTERNAL_SECRET_HEADER]: stack.env.INTERNAL_EVENTS_SECRET! },
      body: JSON.stringify({ type: "receipt", ...receipt }),
    });
    assert.equal(response.status, 202);
    await Promise.all([waitForReceipt("alice", receipt), waitForReceipt("bob", receipt), waitForReceipt("bobOther", receipt)]);
    assert.deepEqual(receiptsIn("carol", conversationId), []);
  });

  it("takes delivered and read over HTTP too, and the socket server tells the room", async () => {
    const conversationId = await freshConversation("Over HTTP");
    const first = await sendSocket(sockets.alice, conversationId, "first");
    const second = await sendSocket(sockets.alice, conversationId, "second");
    const post = (path: string, body: unknown) => bob.api(`/api/conversations/${conversationId}/${path}`, { method: "POST", body: JSON.stringify(body) });

    const delivered = await post("delivered", { seq: second.seq + 50 });
    assert.equal(delivered.status, 200);
    assert.deepEqual(await delivered.json(), { lastDeliveredSeq: second.seq }, "capped at the last seq");
    await waitForReceipt("alice", { conversationId, userId: bob.id, deliveredSeq: second.seq, readSeq: 0 });

    const read = await post("read", { seq: first.seq });
    assert.deepEqual(await read.json(), { lastReadSeq: first.seq });
    await waitForReceipt("bobOther", { conversationId, userId: bob.id, deliveredSeq: second.seq, readSeq: first.seq });

    const invalid = await post("read", { seq: "all" });
    assert.equal(invalid.status, 400);
    assert.equal(((await invalid.json()) as { error: { code: string } }).error.code, "VALIDATION");
    const outsider = await carol.api(`/api/conversations/${conversationId}/delivered`, { method: "POST", body: JSON.stringify({ seq: 1 }) });
    assert.equal(outsider.status, 404);
    assert.deepEqual(receiptsIn("carol", conversationId), []);
  });
});
