// Per-member conversation state beyond the watermarks: "Mark as unread", the read-receipts
// setting (off hides my read watermark from others and theirs from me, in every broadcast and
// HTTP answer), and replies with their server-resolved quote. Real servers, real sockets.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { ReceiptEvent } from "../../lib/realtime/events";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Mark = { conversationId: string; markedUnread: boolean };

describe("conversation state: mark as unread, read receipts setting, replies", { timeout: 120_000 }, () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const sockets: TestSocket[] = [];

  before(async () => {
    stack = await startStack();
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => createUser(stack, `${n} State`)))) as [TestUser, TestUser, TestUser];
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  const open = async (user: TestUser) => {
    const socket = await connect(stack, { token: user.token });
    sockets.push(socket);
    return socket;
  };
  const send = async (socket: TestSocket, conversationId: string, text: string, replyTo?: string): Promise<MessageDto> => {
    const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text, ...(replyTo ? { replyTo } : {}) });
    assert.ok(ack.ok, JSON.stringify(ack));
    return ack.data.message;
  };
  const conversationOf = async (user: TestUser, id: string): Promise<ConversationDto> => {
    const { conversations } = (await (await user.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
    const found = conversations.find((c) => c.id === id);
    assert.ok(found, `${user.name} does not list ${id}`);
    return found;
  };
  const member = (conversation: ConversationDto, user: TestUser) => conversation.members.find((m) => m.id === user.id)!;

  it("marks as unread for the member alone, tells only their own tabs, and clears it when they read", async () => {
    const conversationId = await openDirect(alice, bob);
    const [aliceSocket, bobTab, bobOtherTab, carolSocket] = await Promise.all([open(alice), open(bob), open(bob), open(carol)]);
    const message = await send(aliceSocket, conversationId, "mark me");
    assert.ok((await emitAck(bobTab, "conversation:read", { conversationId, seq: message.seq })).ok);

    const marks = { alice: collect<Mark>(aliceSocket, "conversation:marked"), bobOther: collect<Mark>(bobOtherTab, "conversation:marked"), carol: collect<Mark>(carolSocket, "conversation:marked") };
    const bobOtherReceipts = collect<ReceiptEvent>(bobOtherTab, "receipt");
    const response = await bob.api(`/api/conversations/${conversationId}/unread`, { method: "POST", body: JSON.stringify({ unread: true }) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { markedUnread: true });
    await waitFor(() => marks.bobOther.some((m) => m.conversationId === conversationId && m.markedUnread), { what: "Bob's other tab hearing the mark" });
    assert.equal((await conversationOf(bob, conversationId)).markedUnread, true);
    assert.equal((await conversationOf(alice, conversationId)).markedUnread, false, "the mark is Bob's alone");
    await sleep(200);
    assert.deepEqual(marks.alice, [], "Alice hears nothing of Bob's mark");
    assert.deepEqual(marks.carol, []);

    // Reading again clears it, though no watermark moves; the receipt tells Bob's other tab.
    assert.ok((await emitAck(bobTab, "conversation:read", { conversationId, seq: message.seq })).ok);
    assert.equal((await conversationOf(bob, conversationId)).markedUnread, false);
    await waitFor(() => bobOtherReceipts.some((r) => r.conversationId === conversationId && r.userId === bob.id), { what: "the clearing receipt" });

    // A stranger marking it gets NOT_FOUND, and changes nothing.
    const stranger = await carol.api(`/api/conversations/${conversationId}/unread`, { method: "POST", body: JSON.stringify({ unread: true }) });
    assert.equal(stranger.status, 404);
    assert.equal((await conversationOf(bob, conversationId)).markedUnread, false);
  });

  it("with read receipts off, others see only delivered, the reader still sees their own read, and they see no one's read", async () => {
    const dave = await createUser(stack, "Dave State");
    const erin = await createUser(stack, "Erin State");
    const conversationId = await openDirect(dave, erin);
    const [daveSocket, erinTab, erinOtherTab] = await Promise.all([open(dave), open(erin), open(erin)]);
    const off = await erin.api("/api/settings", { method: "PATCH", body: JSON.stringify({ readReceipts: false }) });
    assert.equal(off.status, 200);
    assert.deepEqual(await off.json(), { settings: { readReceipts: false } });
    assert.deepEqual(await (await erin.api("/api/settings")).json(), { settings: { readReceipts: false } });

    const daveHears = collect<ReceiptEvent>(daveSocket, "receipt");
    const erinOtherHears = collect<ReceiptEvent>(erinOtherTab, "receipt");
    const message = await send(daveSocket, conversationId, "will you read this?");
    const read = await emitAck<{ lastReadSeq: number }>(erinTab, "conversation:read", { conversationId, seq: message.seq });
    assert.ok(read.ok && read.data.lastReadSeq === message.seq, "Erin's own ack tells her own read");

    await waitFor(() => erinOtherHears.some((r) => r.userId === erin.id && r.readSeq === message.seq), { what: "Erin's other tab hearing her real read" });
    await waitFor(() => daveHears.some((r) => r.userId === erin.id && r.deliveredSeq === message.seq), { what: "Dave hearing Erin's delivered" });
    await sleep(200);
    assert.deepEqual(daveHears.filter((r) => r.userId === erin.id).map((r) => r.readSeq), [0], "Dave never hears Erin's read watermark");
    assert.deepEqual(erinOtherHears.filter((r) => r.userId === erin.id).length, 1, "Erin's tab hears it once");

    // Over HTTP, too: Dave's list shows Erin delivered, not read; Erin sees her own read.
    const davesView = member(await conversationOf(dave, conversationId), erin);
    assert.deepEqual([davesView.deliveredSeq, davesView.readSeq], [message.seq, 0]);
    assert.equal(member(await conversationOf(erin, conversationId), erin).readSeq, message.seq);

    // Reciprocal: Dave reads Erin's reply; Erin's list does not show it, nor does Dave's receipt reach her as a read.
    const erinHears = collect<ReceiptEvent>(erinTab, "receipt");
    const reply = await send(erinTab, conversationId, "maybe");
    assert.ok((await emitAck(daveSocket, "conversation:read", { conversationId, seq: reply.seq })).ok);
    await waitFor(() => erinHears.some((r) => r.userId === dave.id && r.deliveredSeq === reply.seq), { what: "Erin hearing Dave's receipt" });
    // A tab Erin opens now joins the receipts-off room from her stored setting.
    const erinLaterTab = await open(erin);
    const laterHears = collect<ReceiptEvent>(erinLaterTab, "receipt");
    const another = await send(erinTab, conversationId, "still there?");
    assert.ok((await emitAck(daveSocket, "conversation:read", { conversationId, seq: another.seq })).ok);
    await waitFor(() => laterHears.some((r) => r.userId === dave.id && r.deliveredSeq === another.seq), { what: "Erin's new tab hearing Dave's receipt" });
    await sleep(200);
    const davesReads = [...erinHears, ...laterHears].filter((r) => r.userId === dave.id).map((r) => r.readSeq);
    assert.ok(davesReads.length >= 2 && davesReads.every((seq) => seq === 0), `Erin's sockets heard Dave's read watermark: ${davesReads.join(", ")}`);
    assert.equal(member(await conversationOf(dave, conversationId), dave).readSeq, another.seq);
    const erinsView = member(await conversationOf(erin, conversationId), dave);
    assert.deepEqual([erinsView.deliveredSeq, erinsView.readSeq], [another.seq, 0]);
    const history = (await (await dave.api(`/api/conversations/${conversationId}/messages`)).json()) as object;
    assert.ok(!JSON.stringify(history).includes("readSeq"), "history carries no watermarks at all");

    // Turned back on: Dave's list shows Erin's read again (up to her own reply, which she has read by
    // writing it), and her sockets hear Dave's reads again.
    assert.equal((await erin.api("/api/settings", { method: "PATCH", body: JSON.stringify({ readReceipts: true }) })).status, 200);
    assert.equal(member(await conversationOf(dave, conversationId), erin).readSeq, another.seq);
    await sleep(200);
    const last = await send(erinTab, conversationId, "receipts back on");
    assert.ok((await emitAck(daveSocket, "conversation:read", { conversationId, seq: last.seq })).ok);
    await waitFor(() => erinHears.some((r) => r.userId === dave.id && r.readSeq === last.seq), { what: "Erin hearing Dave's read once receipts are on" });
  });

  it("refuses a bad settings body with VALIDATION and keeps the setting", async () => {
    for (const body of [{ readReceipts: "no" }, {}, { readReceipts: { $ne: true } }]) {
      const response = await carol.api("/api/settings", { method: "PATCH", body: JSON.stringify(body) });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, "VALIDATION");
    }
    assert.deepEqual(await (await carol.api("/api/settings")).json(), { settings: { readReceipts: true } });
  });

  it("answers a reply with the quoted sender and excerpt, in the ack, the broadcast, history and sync", async () => {
    const conversationId = await openDirect(alice, carol);
    const [aliceSocket, carolSocket] = await Promise.all([open(alice), open(carol)]);
    const original = await send(aliceSocket, conversationId, `The  original\nmessage ${"x".repeat(200)}`);
    const heard = collect<{ message: MessageDto }>(aliceSocket, "message:created");
    const reply = await send(carolSocket, conversationId, "agreed", original.id);
    const expected = { id: original.id, seq: original.seq, senderName: alice.name, excerpt: `The original message ${"x".repeat(78)}…` };
    assert.equal(expected.excerpt.length, 100);
    assert.deepEqual(reply.replyPreview, expected);
    await waitFor(() => heard.find((e) => e.message.id === reply.id), { what: "the reply's broadcast" });
    assert.deepEqual(heard.find((e) => e.message.id === reply.id)!.message.replyPreview, expected);
    const page = (await (await alice.api(`/api/conversations/${conversationId}/messages`)).json()) as { messages: MessageDto[] };
    assert.deepEqual(page.messages.find((m) => m.id === reply.id)!.replyPreview, expected);
    assert.equal(page.messages.find((m) => m.id === original.id)!.replyPreview, null);
    const synced = await emitAck<{ messages: MessageDto[] }>(carolSocket, "sync", { conversationId, sinceVersion: 0 });
    assert.ok(synced.ok);
    assert.deepEqual(synced.data.messages.find((m) => m.id === reply.id)!.replyPreview, expected);

    // Quoting a message of a conversation the sender is not in: NOT_FOUND, nothing stored.
    const elsewhere = await openDirect(alice, bob);
    const foreign = await send(aliceSocket, elsewhere, "private");
    const refused = await emitAck(carolSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "peek", replyTo: foreign.id });
    assert.ok(!refused.ok && refused.error.code === "NOT_FOUND", JSON.stringify(refused));
    const after = (await (await alice.api(`/api/conversations/${conversationId}/messages`)).json()) as { messages: MessageDto[] };
    assert.equal(after.messages.length, page.messages.length);
  });

  it("stores mentions of members only, and counts a member's unread mentions apart", async () => {
    const frank = await createUser(stack, "Frank State");
    const created = await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Mentions", memberIds: [bob.id, frank.id] }) });
    const groupId = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const aliceSocket = await open(alice);
    const plain = await send(aliceSocket, groupId, "no one in particular");
    const ack = await emitAck<{ message: MessageDto }>(aliceSocket, "message:send", { conversationId: groupId, clientMsgId: randomUUID(), text: "@Bob look", mentions: [bob.id, bob.id] });
    assert.ok(ack.ok, JSON.stringify(ack));
    assert.deepEqual(ack.data.message.mentions, [bob.id], "each member once");
    assert.deepEqual(plain.mentions, []);
    const bobs = await conversationOf(bob, groupId);
    assert.deepEqual([bobs.unreadCount, bobs.unreadMentions], [2, 1]);
    const franks = await conversationOf(frank, groupId);
    assert.deepEqual([franks.unreadCount, franks.unreadMentions], [2, 0]);

    // Carol is not in the group: mentioning her is refused, and nothing is stored.
    const refused = await emitAck(aliceSocket, "message:send", { conversationId: groupId, clientMsgId: randomUUID(), text: "@Carol", mentions: [carol.id] });
    assert.ok(!refused.ok && refused.error.code === "VALIDATION" && /members/.test(refused.error.message), JSON.stringify(refused));
    assert.equal((await conversationOf(bob, groupId)).unreadCount, 2);

    // Reading clears the mention count with the rest.
    const bobSocket = await open(bob);
    assert.ok((await emitAck(bobSocket, "conversation:read", { conversationId: groupId, seq: ack.data.message.seq })).ok);
    const after = await conversationOf(bob, groupId);
    assert.deepEqual([after.unreadCount, after.unreadMentions], [0, 0]);
  });

  it("mutes for the member alone and tells only their own tabs; a stranger gets NOT_FOUND", async () => {
    const conversationId = await openDirect(alice, bob);
    const [aliceSocket, bobOtherTab] = await Promise.all([open(alice), open(bob)]);
    const aliceHears = collect<{ conversationId: string }>(aliceSocket, "conversation:muted");
    const bobHears = collect<{ conversationId: string; muted: boolean }>(bobOtherTab, "conversation:muted");
    const response = await bob.api(`/api/conversations/${conversationId}/mute`, { method: "POST", body: JSON.stringify({ muted: true }) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { muted: true });
    await waitFor(() => bobHears.some((m) => m.conversationId === conversationId && m.muted), { what: "Bob's other tab hearing the mute" });
    assert.equal((await conversationOf(bob, conversationId)).muted, true);
    assert.equal((await conversationOf(alice, conversationId)).muted, false);
    await sleep(200);
    assert.deepEqual(aliceHears, []);
    const stranger = await carol.api(`/api/conversations/${conversationId}/mute`, { method: "POST", body: JSON.stringify({ muted: true }) });
    assert.equal(stranger.status, 404);
    assert.equal((await bob.api(`/api/conversations/${conversationId}/mute`, { method: "POST", body: JSON.stringify({ muted: false }) })).status, 200);
    assert.equal((await conversationOf(bob, conversationId)).muted, false);
  });
});
