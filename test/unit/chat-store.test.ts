// The client reducer: every path (broadcast, ack, page load, sync) must converge to the same state.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyPresence } from "../../lib/client/presence-store";
import { newerHeard, type ChatState, type Pending } from "../../lib/client/chat-state";
import { initialChatState } from "../../lib/client/initial-state";
import { chatReducer, type ChatAction } from "../../lib/client/store";
import { deliveryOf } from "../../lib/client/views";
import type { ConversationDto, MessageDto } from "../../lib/schemas/dto";

const ME = "aaaaaaaaaaaaaaaaaaaaaaaa";
const OTHER = "bbbbbbbbbbbbbbbbbbbbbbbb";
const C1 = "c00000000000000000000001";
const C2 = "c00000000000000000000002";

function message(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${String(seq).padStart(23, "0")}`,
    conversationId: C1,
    seq,
    version: seq,
    senderId: OTHER,
    senderName: "Other",
    clientMsgId: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
    kind: "text",
    text: `message ${seq}`,
    replyTo: null,
    replyPreview: null,
    mentions: [],
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    ...overrides,
  };
}

function conversation(id: string, overrides: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id,
    kind: "direct",
    name: null,
    members: [
      { id: ME, name: "Me", role: "member", deliveredSeq: 0, readSeq: 0 },
      { id: OTHER, name: "Other", role: "member", deliveredSeq: 0, readSeq: 0 },
    ],
    lastSeq: 0,
    lastMessage: null,
    createdAt: "2025-01-01T00:00:00.000Z",
    lastActivityAt: "2025-01-01T00:00:00.000Z",
    unreadCount: 0,
    lastReadSeq: 0,
    markedUnread: false,
    unreadMentions: 0,
    muted: false,
    ...overrides,
  };
}

function state(overrides: Partial<ChatState> = {}): ChatState {
  return { me: ME, activeId: null, conversations: [conversation(C1)], listed: true, threads: {}, counted: {}, pending: [], connection: "connected", presence: emptyPresence, ...overrides };
}

const run = (initial: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, initial);
const apply = (messages: MessageDto[], countUnread = true): ChatAction => ({ type: "messages/apply", messages, countUnread });
const loaded = (messages: MessageDto[], version = 0): ChatAction => ({
  type: "thread/loaded",
  conversationId: C1,
  page: { messages, hasMore: false, version },
});
const thread = (s: ChatState) => s.threads[C1]!.messages;
const conv = (s: ChatState, id = C1) => s.conversations.find((c) => c.id === id)!;

describe("chatReducer: the conversation list", () => {
  it("is known once the server rendered it or the engine loaded it, not before", () => {
    assert.equal(initialChatState({ me: ME, conversations: null }).listed, false);
    assert.equal(initialChatState({ me: ME, conversations: [] }).listed, true);
    const later = run(state({ conversations: [], listed: false }), { type: "conversations/set", conversations: [] });
    assert.equal(later.listed, true);
  });

  it("reading part of the way leaves the rest unread, counted from the thread as the server counts it", () => {
    const others = "b".repeat(24);
    const messages = [1, 2, 3, 4, 5, 6].map((seq) => message(seq, { senderId: seq === 4 ? ME : others, mentions: seq === 6 ? [ME] : [] }));
    const open = state({ conversations: [conversation(C1, { lastSeq: 6, lastReadSeq: 1, unreadCount: 4, unreadMentions: 1 })] });
    const loadedThread = run(open, loaded(messages, 6));
    const partly = run(loadedThread, { type: "read", conversationId: C1, seq: 3 });
    // 5 and 6 are left (4 is mine), one of them mentions me.
    assert.deepEqual(pick(partly.conversations[0]!), { lastReadSeq: 3, unreadCount: 2, unreadMentions: 1 });
    assert.deepEqual(pick(run(partly, { type: "read", conversationId: C1, seq: 6 }).conversations[0]!), { lastReadSeq: 6, unreadCount: 0, unreadMentions: 0 });
    // Without the messages after the watermark the thread cannot tell: the count waits for the server's.
    const unknown = run(open, { type: "read", conversationId: C1, seq: 3 });
    assert.deepEqual(pick(unknown.conversations[0]!), { lastReadSeq: 3, unreadCount: 4, unreadMentions: 1 });
  });
});

const pick = ({ lastReadSeq, unreadCount, unreadMentions }: ConversationDto) => ({ lastReadSeq, unreadCount, unreadMentions });

describe("chatReducer: merging messages", () => {
  it("never lets a lower version replace a higher one", () => {
    const edited = message(1, { version: 5, text: "edited" });
    const stale = message(1, { version: 3, text: "original" });
    let s = run(state(), loaded([edited], 5), apply([stale]));
    assert.equal(thread(s)[0]!.text, "edited");
    s = run(s, { type: "thread/older", conversationId: C1, page: { messages: [stale], hasMore: false, version: 3 } });
    assert.equal(thread(s)[0]!.text, "edited");
    s = run(s, loaded([stale], 3));
    assert.equal(thread(s)[0]!.text, "edited");
    assert.equal(thread(s).length, 1);
  });

  it("lets a higher version replace a lower one", () => {
    const s = run(state(), loaded([message(1)]), apply([message(1, { version: 9, text: "edited", editedAt: "2025-01-02T00:00:00.000Z" })]));
    assert.equal(thread(s)[0]!.text, "edited");
    assert.equal(thread(s)[0]!.version, 9);
  });

  it("keeps messages sorted by seq whatever order they arrive in, without duplicates", () => {
    let s = run(state(), loaded([message(4), message(2)]));
    assert.deepEqual(thread(s).map((m) => m.seq), [2, 4]);
    s = run(s, apply([message(3)]), apply([message(1)]), apply([message(5)]), apply([message(3)]));
    assert.deepEqual(thread(s).map((m) => m.seq), [1, 2, 3, 4, 5]);
    s = run(s, { type: "thread/older", conversationId: C1, page: { messages: [message(0, { id: "m-zero" })], hasMore: false, version: 0 } });
    assert.deepEqual(thread(s).map((m) => m.seq), [0, 1, 2, 3, 4, 5]);
  });

  it("orders by seq, not by createdAt (client clocks lie)", () => {
    const s = run(state(), loaded([message(2, { createdAt: "2020-01-01T00:00:00.000Z" }), message(1, { createdAt: "2030-01-01T00:00:00.000Z" })]));
    assert.deepEqual(thread(s).map((m) => m.seq), [1, 2]);
  });

  it("never moves a thread's sync version backwards", () => {
    let s = run(state(), loaded([], 10));
    s = run(s, { type: "thread/version", conversationId: C1, version: 4 });
    assert.equal(s.threads[C1]!.version, 10);
    s = run(s, { type: "thread/version", conversationId: C1, version: 12 });
    assert.equal(s.threads[C1]!.version, 12);
  });
});

describe("chatReducer: pending messages", () => {
  let order = 0;
  const pending = (clientMsgId: string, overrides: Partial<Pending> = {}): Pending => ({
    clientMsgId,
    conversationId: C1,
    text: "hi",
    status: "sending",
    error: null,
    retryable: true,
    createdAt: "2025-01-01T00:00:00.000Z",
    order: (order += 1),
    ...overrides,
  });
  const first = "11111111-1111-4111-8111-111111111111";
  const second = "22222222-2222-4222-8222-222222222222";

  it("removes the pending entry an ack (or the broadcast of my message) confirms, by clientMsgId", () => {
    const s = run(
      state(),
      { type: "pending/upsert", pending: pending(first) },
      { type: "pending/upsert", pending: pending(second) },
      apply([message(1, { senderId: ME, clientMsgId: first })], false),
    );
    assert.deepEqual(s.pending.map((p) => p.clientMsgId), [second]);
  });

  it("does not remove my pending entry for someone else's message with the same clientMsgId", () => {
    const s = run(state(), { type: "pending/upsert", pending: pending(first) }, apply([message(1, { senderId: OTHER, clientMsgId: first })]));
    assert.deepEqual(s.pending.map((p) => p.clientMsgId), [first]);
  });

  it("marks a failed send with its error and keeps it for retry", () => {
    const s = run(
      state(),
      { type: "pending/upsert", pending: pending(first) },
      { type: "pending/upsert", pending: pending(first, { status: "failed", error: "offline" }) },
    );
    assert.deepEqual(s.pending.map((p) => [p.status, p.error]), [["failed", "offline"]]);
  });

  it("keeps pending messages in write order, whatever order their updates come in", () => {
    const a = pending(first);
    const b = pending(second);
    const s = run(state(), { type: "pending/upsert", pending: b }, { type: "pending/upsert", pending: a }, { type: "pending/upsert", pending: { ...b, error: "x" } });
    assert.deepEqual(s.pending.map((p) => p.clientMsgId), [first, second]);
  });

  it("does not show as pending a message already stored (an outbox reloaded after its ack was lost)", () => {
    const s = run(state(), { type: "thread/loaded", conversationId: C1, page: { messages: [message(1, { senderId: ME, clientMsgId: first })], hasMore: false, version: 1 } }, { type: "pending/upsert", pending: pending(first) });
    assert.deepEqual(s.pending, []);
  });
});

describe("chatReducer: receipts and ticks", () => {
  const mine = message(3, { senderId: ME });
  it("raises a member's watermarks, never lowers them, and derives sent → delivered → read", () => {
    const receipt = (deliveredSeq: number, readSeq: number): ChatAction => ({ type: "receipt", conversationId: C1, userId: OTHER, deliveredSeq, readSeq });
    const tick = (s: ChatState) => deliveryOf(s.conversations[0]!, mine).state;
    let s = state();
    assert.equal(tick(s), "sent");
    s = run(s, receipt(3, 0));
    assert.equal(tick(s), "delivered");
    s = run(s, receipt(1, 1));
    assert.equal(tick(s), "delivered", "an older receipt arriving late changes nothing");
    s = run(s, receipt(3, 3));
    assert.equal(tick(s), "read");
  });

  it("counts a group's members separately", () => {
    const third = "0000000000000000000000c3";
    const group = conversation(C1, {
      kind: "group",
      members: [
        { id: ME, name: "Me", role: "member", deliveredSeq: 3, readSeq: 3 },
        { id: OTHER, name: "Other", role: "member", deliveredSeq: 3, readSeq: 3 },
        { id: third, name: "Third", role: "member", deliveredSeq: 3, readSeq: 0 },
      ],
    });
    assert.deepEqual(deliveryOf(group, mine), { state: "delivered", others: 2, deliveredTo: 2, readBy: 1, readers: ["Other"], receivers: ["Third"] });
  });

  it("applies a large room's member delta to the members it holds, keeping their watermarks", () => {
    const third = "0000000000000000000000c3";
    const start = state({ conversations: [conversation(C1, { kind: "room", members: [
      { id: ME, name: "Me", role: "member", deliveredSeq: 3, readSeq: 3 },
      { id: OTHER, name: "Other", role: "owner", deliveredSeq: 2, readSeq: 2 },
    ] })] });
    const joined = run(start, { type: "conversation/updated", conversation: { id: C1, kind: "room", name: "R", members: [], memberDelta: { added: [{ id: third, name: "Third", role: "member", deliveredSeq: 0, readSeq: 0 }], removed: [OTHER] } } });
    assert.deepEqual(joined.conversations[0]!.members.map((m) => [m.id, m.readSeq]), [[ME, 3], [third, 0]]);
  });

  it("counts a busy room's readers without naming them above 20 others", () => {
    const members = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ id: i === 0 ? ME : i.toString(16).padStart(24, "0"), name: `P${i}`, role: "member" as const, deliveredSeq: 3, readSeq: i % 2 ? 3 : 0 }));
    const small = deliveryOf(conversation(C1, { kind: "room", members: members(21) }), mine);
    assert.equal(small.readers.length, 10, "20 others: named");
    const big = deliveryOf(conversation(C1, { kind: "room", members: members(22) }), mine);
    assert.deepEqual([big.others, big.readBy, big.readers, big.receivers], [21, 11, [], []]);
  });

  it("my own read receipt from another tab clears this tab's badge", () => {
    const s = run(state({ conversations: [conversation(C1, { lastSeq: 4, unreadCount: 4 })] }), { type: "receipt", conversationId: C1, userId: ME, deliveredSeq: 4, readSeq: 4 });
    assert.equal(s.conversations[0]!.unreadCount, 0);
  });
});

describe("chatReducer: unread counts", () => {
  it("counts others' new messages once each", () => {
    const s = run(state(), apply([message(1)]), apply([message(2)]), apply([message(2)]), apply([message(1)]));
    assert.equal(conv(s).unreadCount, 2);
    assert.equal(conv(s).lastSeq, 2);
    assert.equal(conv(s).lastMessage?.preview, "message 2");
  });

  it("does not count my own messages, nor messages applied with countUnread false", () => {
    const s = run(state(), apply([message(1, { senderId: ME })]), apply([message(2)], false));
    assert.equal(conv(s).unreadCount, 0);
    assert.equal(conv(s).lastReadSeq, 1, "I have read up to my own message");
  });

  it("does not count a message at or below the read watermark", () => {
    const s = run(state({ conversations: [conversation(C1, { lastSeq: 0, lastReadSeq: 5 })] }), apply([message(3)]));
    assert.equal(conv(s).unreadCount, 0);
  });

  it("keeps the view contiguous when history loads onto messages that arrived live", () => {
    // Seqs 1-3 and 8-10 arrived live (4-7 were missed); the first page is 6-10.
    let s = run(state(), apply([1, 2, 3, 8, 9, 10].map((seq) => message(seq))));
    s = run(s, loaded([6, 7, 8, 9, 10].map((seq) => message(seq))));
    assert.deepEqual(thread(s).map((m) => m.seq), [6, 7, 8, 9, 10]);
  });

  // Broadcasts of concurrent sends arrive in completion order, not seq order: seq 5 then seq 4
  // must count 2 unread, as the server does.
  it("counts two new messages that arrive out of seq order", () => {
    const s = run(state(), apply([message(5)]), apply([message(4)]));
    assert.equal(conv(s).unreadCount, 2);
    assert.equal(conv(s).lastMessage?.seq, 5, "the preview stays on the newest message");
  });

  // On (re)connection the list comes over HTTP while broadcasts come over the socket: one
  // message can be in the list's count and then heard live, or heard live before a list that
  // was read without it. Either way it counts once.
  it("does not count again a live message the listed count already holds", () => {
    const listed = conversation(C1, { lastSeq: 3, unreadCount: 3 });
    const s = run(state({ conversations: [] }), { type: "conversations/set", conversations: [listed] }, apply([message(3)]), apply([message(4)]));
    assert.equal(conv(s).unreadCount, 4);
    assert.equal(conv(s).lastSeq, 4);
  });

  it("adds to a list read before them the live messages already heard", () => {
    let s = run(state(), apply([message(1)]), apply([message(2)]), apply([message(3)]));
    s = run(s, { type: "conversations/set", conversations: [conversation(C1, { lastSeq: 2, unreadCount: 2 })] });
    assert.deepEqual([conv(s).unreadCount, conv(s).lastSeq, conv(s).lastMessage?.seq], [3, 3, 3]);
    s = run(s, apply([message(3)]), apply([message(2)]));
    assert.equal(conv(s).unreadCount, 3, "their broadcasts heard again count nothing");
  });

  it("counts from a conversation's own listing when it is upserted", () => {
    const s = run(state({ conversations: [] }), { type: "conversation/upsert", conversation: conversation(C1, { lastSeq: 2, unreadCount: 1, lastReadSeq: 1 }) }, apply([message(2)]), apply([message(3)]));
    assert.equal(conv(s).unreadCount, 2);
  });

  it("clears unread when read up to the last seq, and ignores an older read", () => {
    let s = run(state(), apply([message(1)]), apply([message(2)]), apply([message(3)]));
    s = run(s, { type: "read", conversationId: C1, seq: 2 });
    assert.equal(conv(s).lastReadSeq, 2);
    assert.equal(conv(s).unreadCount, 3, "a partial read does not zero the badge");
    s = run(s, { type: "read", conversationId: C1, seq: 3 });
    assert.deepEqual([conv(s).lastReadSeq, conv(s).unreadCount], [3, 0]);
    s = run(s, { type: "read", conversationId: C1, seq: 1 });
    assert.equal(conv(s).lastReadSeq, 3, "the watermark never moves back");
  });
});

describe("chatReducer: conversation order", () => {
  it("sorts by latest activity and moves a conversation up when a message arrives", () => {
    const older = conversation(C1, { lastActivityAt: "2025-01-01T00:00:00.000Z" });
    const newer = conversation(C2, { lastActivityAt: "2025-01-01T00:00:30.000Z" });
    let s = run(state({ conversations: [] }), { type: "conversations/set", conversations: [older, newer] });
    assert.deepEqual(s.conversations.map((c) => c.id), [C2, C1]);
    s = run(s, apply([message(1, { createdAt: "2025-01-01T00:01:00.000Z" })]));
    assert.deepEqual(s.conversations.map((c) => c.id), [C1, C2]);
  });

  it("upserts a new conversation without duplicating it", () => {
    let s = run(state(), { type: "conversation/upsert", conversation: conversation(C2, { lastActivityAt: "2025-02-01T00:00:00.000Z" }) });
    s = run(s, { type: "conversation/upsert", conversation: conversation(C2, { lastActivityAt: "2025-02-01T00:00:00.000Z", name: "renamed" }) });
    assert.deepEqual(s.conversations.map((c) => c.id), [C2, C1]);
    assert.equal(conv(s, C2).name, "renamed");
  });
});

describe("chatReducer: changes to messages", () => {
  const page = (messages: MessageDto[], extra: { hasMore?: boolean; pinned?: MessageDto[] } = {}): ChatAction => ({
    type: "thread/loaded",
    conversationId: C1,
    page: { messages, hasMore: extra.hasMore ?? false, version: Math.max(0, ...messages.map((m) => m.version)), pinned: extra.pinned },
  });

  it("keeps a message deleted for me hidden when a later change heard in the room does not say so", () => {
    const hidden = message(1, { version: 4, text: "", hidden: true });
    const edited = message(1, { version: 6, text: "edited by the sender" });
    const s = run(state(), page([message(1)]), apply([hidden]), apply([edited], false));
    assert.equal(thread(s)[0]!.hidden, true);
    assert.equal(thread(s)[0]!.text, "");
    assert.equal(thread(s)[0]!.version, 6, "it still moves to the newer version");
  });

  it("previews a deleted last message as deleted, and one deleted for me alone as such, without its text", () => {
    let s = run(state(), page([message(1)]), apply([message(1, { version: 3, text: "", deletedAt: "2025-01-01T00:01:00.000Z" })], false));
    assert.equal(conv(s).lastMessage?.preview, "This message was deleted");
    s = run(state(), apply([message(2)]), apply([message(2, { version: 3, text: "", hidden: true })], false));
    assert.equal(conv(s).lastMessage?.preview, "You deleted this message");
    // An older message hidden for me leaves the newest one's preview alone.
    s = run(state(), apply([message(2), message(3)]), apply([message(2, { version: 4, text: "", hidden: true })], false));
    assert.equal(conv(s).lastMessage?.preview, "message 3");
  });

  it("keeps the pinned bar from the page's pins and every later pin or unpin, also of messages not loaded", () => {
    const old = message(1, { version: 9, pinnedAt: "2025-01-01T00:05:00.000Z", pinnedBy: OTHER });
    let s = run(state(), page([message(50), message(51)], { hasMore: true, pinned: [old] }));
    assert.deepEqual(s.threads[C1]!.pinned.map((m) => m.id), [old.id]);
    const newer = message(51, { version: 60, pinnedAt: "2025-01-01T00:09:00.000Z", pinnedBy: ME });
    s = run(s, apply([newer], false));
    assert.deepEqual(s.threads[C1]!.pinned.map((m) => m.seq), [51, 1], "latest pin first");
    s = run(s, apply([message(1, { version: 61, pinnedAt: null })], false));
    assert.deepEqual(s.threads[C1]!.pinned.map((m) => m.seq), [51]);
    assert.ok(!thread(s).some((m) => m.seq === 1), "a change to a message older than the loaded stretch does not open a gap in the view");
  });

  it("does not count a change to a message as unread", () => {
    const s = run(state(), page([message(1)]), apply([message(1, { version: 5, reactions: [{ emoji: "👍", userIds: [OTHER] }] })], false));
    assert.equal(conv(s).unreadCount, 0);
    assert.deepEqual(thread(s)[0]!.reactions, [{ emoji: "👍", userIds: [OTHER] }]);
  });
});

describe("chatReducer: a window that stops short of the end (opened at a search result)", () => {
  const page = (seqs: number[], { hasMore = true, hasNewer = true, version = 100 } = {}) => ({ messages: seqs.map((seq) => message(seq)), hasMore, hasNewer, version });
  const windowAt = (seqs: number[], options?: Parameters<typeof page>[1]): ChatAction => ({ type: "thread/window", conversationId: C1, page: page(seqs, options) });
  const newer = (seqs: number[], options?: Parameters<typeof page>[1]): ChatAction => ({ type: "thread/newer", conversationId: C1, page: page(seqs, options) });
  const listed = state({ conversations: [conversation(C1, { lastSeq: 100, lastReadSeq: 100 })] });

  it("replaces what the thread held, so an old window never shows as contiguous with the newest page", () => {
    const s = run(listed, loaded([98, 99, 100].map((seq) => message(seq)), 100), windowAt([10, 11, 12]));
    assert.deepEqual(thread(s).map((m) => m.seq), [10, 11, 12]);
    assert.deepEqual([s.threads[C1]!.hasMore, s.threads[C1]!.hasNewer, s.threads[C1]!.version], [true, true, 100]);
  });

  it("holds live messages beyond the window back, counting others' (once each) for the jump-to-latest button", () => {
    const mine = message(102, { senderId: ME });
    const s = run(listed, windowAt([10, 11, 12]), apply([message(101)]), apply([message(101)]), apply([mine]), apply([message(103)]));
    assert.deepEqual(thread(s).map((m) => m.seq), [10, 11, 12]);
    assert.equal(newerHeard(s.threads[C1], ME), 2);
    // The list still hears them: preview, order and unread count go on as before.
    assert.deepEqual([conv(s).lastSeq, conv(s).unreadCount], [103, 2]);
    // A change to a message inside the window still applies.
    const edited = run(s, apply([message(11, { version: 104, text: "edited" })], false));
    assert.equal(thread(edited)[1]!.text, "edited");
  });

  it("reading the window does not mark newer messages read: only what it read leaves the count", () => {
    const unread = state({ conversations: [conversation(C1, { lastSeq: 100, lastReadSeq: 5, unreadCount: 95 })] });
    // The window does not hold 6-9: what is left waits for the server's count.
    const s = run(unread, windowAt([10, 11, 12]), { type: "read", conversationId: C1, seq: 12 });
    assert.deepEqual(pick(conv(s)), { lastReadSeq: 12, unreadCount: 95, unreadMentions: 0 });
    // This one holds everything from the watermark on: 6-12 are read (8 is mine, 7 mentions me).
    const messages = [4, 5, 6, 7, 8, 9, 10, 11, 12].map((seq) => message(seq, { senderId: seq === 8 ? ME : OTHER, mentions: seq === 7 ? [ME] : [] }));
    const mentioned = state({ conversations: [conversation(C1, { lastSeq: 100, lastReadSeq: 5, unreadCount: 95, unreadMentions: 2 })] });
    const held = run(mentioned, { type: "thread/window", conversationId: C1, page: { messages, hasMore: true, hasNewer: true, version: 100 } }, { type: "read", conversationId: C1, seq: 12 });
    assert.deepEqual(pick(conv(held)), { lastReadSeq: 12, unreadCount: 89, unreadMentions: 1 });
  });

  it("pages newer from the window until the end, then lets live messages in again and syncs from the page's version", () => {
    let s = run(listed, windowAt([10, 11, 12], { version: 100 }), apply([message(101)]));
    s = run(s, newer([13, 14], { version: 101 }));
    assert.deepEqual([thread(s).map((m) => m.seq), s.threads[C1]!.hasNewer], [[10, 11, 12, 13, 14], true]);
    // A page that is not the next one (a stale answer) changes nothing.
    assert.equal(run(s, newer([12, 13], { version: 101 })), s);
    s = run(s, newer([15, 16], { hasNewer: false, version: 99 }));
    assert.deepEqual([s.threads[C1]!.hasNewer, newerHeard(s.threads[C1], ME), s.threads[C1]!.version], [false, 0, 99]);
    // The sync from there brings 101 in, without counting it a second time.
    s = run(s, apply([message(101)]), apply([message(117)]));
    assert.deepEqual(thread(s).map((m) => m.seq).slice(-3), [16, 101, 117]);
    assert.equal(conv(s).unreadCount, 2);
  });

  it("ignores a newest page that arrives after a window was opened, and goes back to it by a new window", () => {
    let s = run(listed, windowAt([10, 11, 12]), loaded([98, 99, 100].map((seq) => message(seq)), 100));
    assert.deepEqual(thread(s).map((m) => m.seq), [10, 11, 12]);
    s = run(s, windowAt([98, 99, 100], { hasNewer: false }));
    assert.deepEqual([thread(s).map((m) => m.seq), s.threads[C1]!.hasNewer], [[98, 99, 100], false]);
    assert.deepEqual(thread(run(s, apply([message(101)]))).map((m) => m.seq), [98, 99, 100, 101]);
  });
});
