// The delivery model end to end: idempotent sends over any path, per-conversation order,
// history paging, sync, live fan-out (also of HTTP writes and new groups), and the conversation list.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import type { ConversationDto, MessageDto, MessagePage, SyncResult } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

async function sendSocket(socket: TestSocket, conversationId: string, text: string, clientMsgId = randomUUID()): Promise<MessageDto> {
  const ack = await emitAck<Created>(socket, "message:send", { conversationId, clientMsgId, text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

async function postMessage(user: TestUser, conversationId: string, body: object): Promise<{ status: number; message: MessageDto }> {
  const response = await user.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify(body) });
  const json = (await response.json()) as Created;
  assert.ok(response.status === 200 || response.status === 201, `POST messages: ${response.status} ${JSON.stringify(json)}`);
  return { status: response.status, message: json.message };
}

async function history(user: TestUser, conversationId: string, query = ""): Promise<MessagePage> {
  const response = await user.api(`/api/conversations/${conversationId}/messages${query}`);
  assert.equal(response.status, 200);
  return (await response.json()) as MessagePage;
}

async function syncHttp(user: TestUser, conversationId: string, since: number): Promise<SyncResult> {
  const response = await user.api(`/api/conversations/${conversationId}/sync?since=${since}`);
  assert.equal(response.status, 200);
  return (await response.json()) as SyncResult;
}

async function conversations(user: TestUser): Promise<ConversationDto[]> {
  const response = await user.api("/api/conversations");
  assert.equal(response.status, 200);
  return ((await response.json()) as { conversations: ConversationDto[] }).conversations;
}

async function createGroup(user: TestUser, name: string, memberIds: string[]): Promise<ConversationDto> {
  const response = await user.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name, memberIds }) });
  const json = (await response.json()) as { conversation: ConversationDto };
  assert.equal(response.status, 201, JSON.stringify(json));
  return json.conversation;
}

const seqs = (messages: MessageDto[]) => messages.map((m) => m.seq);

function assertStrictlyIncreasing(values: number[], what: string): void {
  for (let i = 1; i < values.length; i += 1) {
    assert.ok(values[i]! > values[i - 1]!, `${what} not strictly increasing at ${i}: ${values[i - 1]} then ${values[i]}`);
  }
}

describe("messaging", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;
  let dm: string;
  const sockets: Record<"alice" | "bob" | "carol" | "dave", TestSocket> = {} as never;
  const socketById = new Map<string, TestSocket>();

  before(async () => {
    stack = await startStack();
    [alice, bob, carol, dave] = await Promise.all(["Alice", "Bob", "Carol", "Dave"].map((name) => createUser(stack, `${name} Msg`))) as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    dm = await openDirect(alice, bob);
    // Everyone is connected before any group exists (see the group tests).
    const users = { alice, bob, carol, dave };
    await Promise.all(
      Object.entries(users).map(async ([name, user]) => {
        const socket = await connect(stack, { token: user.token });
        sockets[name as keyof typeof users] = socket;
        socketById.set(user.id, socket);
      }),
    );
  });

  /** Creates a group and waits until its members' sockets have been told (and so joined its room). */
  async function createLiveGroup(creator: TestUser, name: string, others: TestUser[]): Promise<string> {
    const members = [creator, ...others];
    const heard = members.map((user) => collect<{ conversation: ConversationDto }>(socketById.get(user.id)!, "conversation:created"));
    const group = await createGroup(creator, name, others.map((user) => user.id));
    await waitFor(() => heard.every((list) => list.some((e) => e.conversation.id === group.id)), { what: "conversation:created" });
    return group.id;
  }

  after(async () => {
    for (const socket of Object.values(sockets)) socket.disconnect();
    await stack?.stop();
  });

  describe("idempotency", () => {
    it("stores one message for a clientMsgId repeated sequentially over the socket and HTTP", async () => {
      const conversation = await createLiveGroup(alice, "Idempotent sequential", [bob, carol]);
      const bobSees = collect<Created>(sockets.bob, "message:created");
      const socketFirst = randomUUID();
      const first = await sendSocket(sockets.alice, conversation, "socket then http", socketFirst);
      const repeatHttp = await postMessage(alice, conversation, { clientMsgId: socketFirst, text: "socket then http" });
      const repeatSocket = await sendSocket(sockets.alice, conversation, "socket then http", socketFirst);
      assert.equal(repeatHttp.status, 200, "a repeat over HTTP answers 200, not 201");
      assert.deepEqual([repeatHttp.message.id, repeatHttp.message.seq], [first.id, first.seq]);
      assert.deepEqual([repeatSocket.id, repeatSocket.seq], [first.id, first.seq]);

      const httpFirst = randomUUID();
      const created = await postMessage(alice, conversation, { clientMsgId: httpFirst, text: "http then socket" });
      assert.equal(created.status, 201);
      const repeat = await sendSocket(sockets.alice, conversation, "http then socket", httpFirst);
      assert.deepEqual([repeat.id, repeat.seq], [created.message.id, created.message.seq]);

      const stored = (await history(alice, conversation, "?limit=100")).messages;
      assert.equal(stored.filter((m) => m.clientMsgId === socketFirst).length, 1);
      assert.equal(stored.filter((m) => m.clientMsgId === httpFirst).length, 1);
      await waitFor(() => bobSees.filter((e) => e.message.clientMsgId === httpFirst).length === 2, { what: "the broadcasts" });
      await sleep(300);
      // Each repeat is announced again, always as the one stored message.
      for (const [clientMsgId, sends] of [[socketFirst, 3], [httpFirst, 2]] as const) {
        const heard = bobSees.filter((e) => e.message.clientMsgId === clientMsgId);
        assert.equal(heard.length, sends, `announcements of ${clientMsgId}`);
        assert.equal(new Set(heard.map((e) => e.message.id)).size, 1);
      }
    });

    it("stores one message for a clientMsgId sent concurrently over the socket and HTTP", async () => {
      const conversation = await createLiveGroup(alice, "Idempotent concurrent", [bob, carol]);
      const bobSees = collect<Created>(sockets.bob, "message:created");
      const ids: string[] = [];
      for (let round = 0; round < 5; round += 1) {
        const clientMsgId = randomUUID();
        ids.push(clientMsgId);
        const text = `race ${round}`;
        const body = { clientMsgId, text };
        const [viaSocket, viaHttp, viaSocket2, viaHttp2] = await Promise.all([
          sendSocket(sockets.alice, conversation, text, clientMsgId),
          postMessage(alice, conversation, body),
          sendSocket(sockets.alice, conversation, text, clientMsgId),
          postMessage(alice, conversation, body),
        ]);
        const answers = [viaSocket, viaHttp.message, viaSocket2, viaHttp2.message];
        assert.equal(new Set(answers.map((m) => m.id)).size, 1, `round ${round}: different message ids ${JSON.stringify(answers.map((m) => m.id))}`);
        assert.equal(new Set(answers.map((m) => m.seq)).size, 1, `round ${round}: different seqs`);
        assert.ok([viaHttp.status, viaHttp2.status].filter((s) => s === 201).length <= 1, "two HTTP answers claim to have created it");
      }
      const stored = (await history(alice, conversation, "?limit=100")).messages;
      for (const clientMsgId of ids) {
        assert.equal(stored.filter((m) => m.clientMsgId === clientMsgId).length, 1, `stored copies of ${clientMsgId}`);
      }
      await waitFor(() => ids.every((id) => bobSees.some((e) => e.message.clientMsgId === id)), { what: "every broadcast" });
      await sleep(300);
      for (const clientMsgId of ids) {
        const heard = bobSees.filter((e) => e.message.clientMsgId === clientMsgId);
        assert.equal(heard.length, 4, "every send, first or repeat, is announced");
        assert.equal(new Set(heard.map((e) => JSON.stringify(e.message))).size, 1, "announced as different messages");
      }
    });

    it("keeps the same clientMsgId of two different senders as two messages", async () => {
      const group = (await createGroup(alice, "Same key", [bob.id, carol.id])).id;
      const clientMsgId = randomUUID();
      const a = await sendSocket(sockets.alice, group, "mine", clientMsgId);
      const b = await sendSocket(sockets.bob, group, "mine too", clientMsgId);
      assert.notEqual(a.id, b.id);
      assert.deepEqual([a.text, b.text], ["mine", "mine too"]);
      assert.ok(b.seq > a.seq);
    });
  });

  describe("order", () => {
    // Guards lib/chat/sequencer.ts: concurrent sends to one conversation each get their own seq
    // and version (the unique indexes decide), none is refused, and the list stays consistent.
    it("gives 30 concurrent messages from two users 30 unique seqs, and the conversation keeps working", async () => {
      const group = (await createGroup(alice, "Burst", [bob.id, carol.id])).id;
      const acks = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          emitAck<Created>(i % 2 ? sockets.bob : sockets.alice, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: `burst ${i}` }),
        ),
      );
      const failed = acks.flatMap((ack) => (ack.ok ? [] : [ack.error.code]));
      assert.deepEqual(failed, [], `${failed.length} of 30 concurrent sends failed`);
      const sent = acks.flatMap((ack) => (ack.ok ? [ack.data.message] : []));
      const taken = seqs(sent);
      assert.equal(new Set(taken).size, 30, `duplicate seqs: ${taken.join(",")}`);
      assert.equal(new Set(sent.map((m) => m.version)).size, 30, "duplicate versions");

      const listed = (await history(alice, group, "?limit=30")).messages;
      assert.deepEqual(listed.map((m) => m.id).sort(), sent.map((m) => m.id).sort(), "the newest 30 are exactly the burst");
      assertStrictlyIncreasing(seqs(listed), "listed seqs");

      // After the burst, the conversation's counter must be ahead of every stored seq.
      const after = await emitAck<Created>(sockets.alice, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: "after the burst" });
      assert.ok(after.ok, `a send after the burst failed: ${JSON.stringify(after)}`);
      assert.ok(after.data.message.seq > Math.max(...taken));
      const listedGroup = (await conversations(alice)).find((c) => c.id === group);
      assert.equal(listedGroup?.lastSeq, after.data.message.seq, "lastSeq fell behind the stored messages");
    });

    // The smallest case of the same race: two people in a group pressing send together.
    it("does not fail when two users send at the same moment", async () => {
      const group = (await createGroup(bob, "Pairs", [alice.id, carol.id])).id;
      const failed: string[] = [];
      for (let round = 0; round < 10; round += 1) {
        const acks = await Promise.all(
          [sockets.alice, sockets.bob].map((socket) =>
            emitAck<Created>(socket, "message:send", { conversationId: group, clientMsgId: randomUUID(), text: `pair ${round}` }),
          ),
        );
        for (const ack of acks) if (!ack.ok) failed.push(`round ${round}: ${ack.error.code}`);
      }
      assert.deepEqual(failed, [], `${failed.length} of 20 sends failed`);
    });

    it("gives sequential messages strictly increasing seqs", async () => {
      const group = (await createGroup(carol, "Turns", [alice.id, bob.id])).id;
      const sent: MessageDto[] = [];
      for (let i = 0; i < 6; i += 1) sent.push(await sendSocket(i % 2 ? sockets.bob : sockets.alice, group, `turn ${i}`));
      assertStrictlyIncreasing(seqs(sent), "sequential seqs");
      assertStrictlyIncreasing(sent.map((m) => m.version), "sequential versions");
      assert.equal(sent[0]!.seq, 1, "a new conversation starts at seq 1");
    });
  });

  describe("history and sync", () => {
    let thread: string;
    let sent: MessageDto[];

    before(async () => {
      thread = await openDirect(alice, carol);
      sent = [];
      for (let i = 0; i < 120; i += 1) sent.push(await sendSocket(i % 3 ? sockets.alice : sockets.carol, thread, `m-${String(i).padStart(3, "0")}`));
    });

    it("pages back through 120 messages, 50 at a time, newest page first", async () => {
      const first = await history(carol, thread, "?limit=50");
      assert.equal(first.messages.length, 50);
      assert.equal(first.hasMore, true);
      assert.deepEqual(first.messages.map((m) => m.id), sent.slice(70).map((m) => m.id), "the newest 50, oldest first");
      assertStrictlyIncreasing(seqs(first.messages), "page 1");

      const second = await history(carol, thread, `?limit=50&before=${first.messages[0]!.seq}`);
      assert.equal(second.hasMore, true);
      assert.deepEqual(second.messages.map((m) => m.id), sent.slice(20, 70).map((m) => m.id));

      const third = await history(carol, thread, `?limit=50&before=${second.messages[0]!.seq}`);
      assert.equal(third.hasMore, false);
      assert.deepEqual(third.messages.map((m) => m.id), sent.slice(0, 20).map((m) => m.id));
      assert.equal(third.messages[0]!.text, "m-000");

      const all = [...third.messages, ...second.messages, ...first.messages];
      assert.equal(new Set(all.map((m) => m.id)).size, 120);
      assertStrictlyIncreasing(seqs(all), "all pages");
    });

    it("opens a window around a seq (over HTTP) and pages newer from it with `after` up to the end", async () => {
      const target = sent[30]!;
      const window = await history(carol, thread, `?limit=20&around=${target.seq}`);
      assert.deepEqual(window.messages.map((m) => m.id), sent.slice(21, 41).map((m) => m.id), "10 at or below the target, 10 above it");
      assert.deepEqual([window.hasMore, window.hasNewer], [true, true]);
      assert.ok(window.pinned, "a window is a first page: it carries the pins");
      const seen = [...window.messages];
      let after = window.messages.at(-1)!.seq;
      for (let page = 0; page < 10; page += 1) {
        const newer = await history(carol, thread, `?limit=50&after=${after}`);
        assertStrictlyIncreasing(seqs(newer.messages), `newer page ${page}`);
        assert.equal(newer.hasMore, true);
        seen.push(...newer.messages);
        after = newer.messages.at(-1)?.seq ?? after;
        if (!newer.hasNewer) break;
      }
      assert.deepEqual(seen.map((m) => m.id), sent.slice(21).map((m) => m.id), "from the window to the newest, each once, in order");
      // A window near the end stops there; one past the end is the newest page's end.
      const end = await history(carol, thread, `?limit=20&around=${sent[118]!.seq}`);
      assert.deepEqual([end.messages.at(-1)!.id, end.hasNewer], [sent[119]!.id, false]);
      const beyond = await history(carol, thread, `?limit=4&around=1000000`);
      assert.deepEqual([beyond.messages.map((m) => m.id), beyond.hasNewer], [sent.slice(118).map((m) => m.id), false]);
    });

    it("uses 50 as the default page size and shows exactly 100 as the last page without more", async () => {
      const page = await history(alice, thread);
      assert.equal(page.messages.length, 50);
      const exactEnd = await history(alice, thread, `?limit=100&before=${sent[100]!.seq}`);
      assert.equal(exactEnd.messages.length, 100);
      assert.equal(exactEnd.hasMore, false);
    });

    it("syncs everything since version 0 and nothing since the current version, over HTTP and the socket", async () => {
      const everything = await syncHttp(carol, thread, 0);
      assert.equal(everything.messages.length, 120);
      assert.equal(everything.hasMore, false);
      assert.deepEqual(everything.messages.map((m) => m.id), sent.map((m) => m.id));
      assert.equal(everything.version, Math.max(...sent.map((m) => m.version)));

      const nothing = await syncHttp(carol, thread, everything.version);
      assert.deepEqual(nothing.messages, []);
      assert.equal(nothing.version, everything.version);

      const viaSocket = await emitAck<SyncResult>(sockets.carol, "sync", { conversationId: thread, sinceVersion: 0 });
      assert.ok(viaSocket.ok);
      assert.deepEqual(viaSocket.data.messages.map((m) => m.id), everything.messages.map((m) => m.id));
      const tail = await emitAck<SyncResult>(sockets.carol, "sync", { conversationId: thread, sinceVersion: sent[99]!.version });
      assert.ok(tail.ok);
      assert.deepEqual(tail.data.messages.map((m) => m.id), sent.slice(100).map((m) => m.id));
    });

    // Guards the sync watermark. When a version was allocated before its message was inserted,
    // messages became visible out of version order, and a sync between a later message's insert
    // and an earlier one's answered with a watermark past the earlier message, which no later sync
    // returned: a client converging by sync alone (HTTP fallback, reconnecting) lost it for good.
    it("never skips a message for a client that only syncs while two users send", async () => {
      const group = await createLiveGroup(alice, "Poller", [bob, carol]);
      const stored = new Set<string>();
      const seen = new Set<string>();
      let since = 0;
      let sending = true;
      const poll = async () => {
        const result = await emitAck<SyncResult>(sockets.carol, "sync", { conversationId: group, sinceVersion: since });
        assert.ok(result.ok, JSON.stringify(result));
        for (const message of result.data.messages) seen.add(message.id);
        since = result.data.version;
      };
      const poller = (async () => {
        while (sending) await poll();
      })();
      // Like the browser's outbox: a retryable failure is retried with the same clientMsgId.
      const sender = async (socket: TestSocket, label: string) => {
        for (let i = 0; i < 40; i += 1) {
          const payload = { conversationId: group, clientMsgId: randomUUID(), text: `${label} ${i}` };
          for (let attempt = 0; ; attempt += 1) {
            const ack = await emitAck<Created>(socket, "message:send", payload);
            if (ack.ok) {
              stored.add(ack.data.message.id);
              break;
            }
            assert.ok(ack.error.retryable && attempt < 20, `send failed for good: ${JSON.stringify(ack)}`);
          }
        }
      };
      try {
        await Promise.all([sender(sockets.alice, "alice"), sender(sockets.bob, "bob")]);
      } finally {
        sending = false;
        await poller;
      }
      await poll();
      const missing = [...stored].filter((id) => !seen.has(id));
      assert.equal(stored.size, 80);
      assert.deepEqual(missing, [], `${missing.length} of 80 messages never reached the syncing client`);
    });

    it("syncs a message sent after the last sync", async () => {
      const { version } = await syncHttp(carol, thread, 0);
      const late = await sendSocket(sockets.alice, thread, "late");
      const delta = await syncHttp(carol, thread, version);
      assert.deepEqual(delta.messages.map((m) => m.id), [late.id]);
      assert.equal(delta.version, late.version);
      sent.push(late);
    });
  });

  describe("live fan-out", () => {
    it("delivers a message sent over HTTP to a connected member within 1 s", async () => {
      const bobSees = collect<Created>(sockets.bob, "message:created");
      const clientMsgId = randomUUID();
      const started = Date.now();
      const { status, message } = await postMessage(alice, dm, { clientMsgId, text: "via http, live" });
      assert.equal(status, 201);
      const event = await waitFor(() => bobSees.find((e) => e.message.clientMsgId === clientMsgId), { timeoutMs: 1_000, what: "message:created" });
      assert.ok(Date.now() - started <= 1_000 + 50);
      assert.deepEqual(event.message, message);
    });

    it("opens the same direct conversation from either side, also concurrently", async () => {
      assert.equal(await openDirect(alice, bob), dm);
      assert.equal(await openDirect(bob, alice), dm);
      const [fromCarol, fromDave] = await Promise.all([openDirect(carol, dave), openDirect(dave, carol)]);
      assert.equal(fromCarol, fromDave);
      const carolsWithDave = (await conversations(carol)).filter((c) => c.kind === "direct" && c.members.some((m) => m.id === dave.id));
      assert.equal(carolsWithDave.length, 1);
      const self = await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "direct", userId: alice.id }) });
      assert.equal(self.status, 400);
    });

    it("creates a group, joins its members' live sockets, and fans messages out to the others", async () => {
      const created = {
        alice: collect<{ conversation: ConversationDto }>(sockets.alice, "conversation:created"),
        bob: collect<{ conversation: ConversationDto }>(sockets.bob, "conversation:created"),
        carol: collect<{ conversation: ConversationDto }>(sockets.carol, "conversation:created"),
        dave: collect<{ conversation: ConversationDto }>(sockets.dave, "conversation:created"),
      };
      const seen = {
        alice: collect<Created>(sockets.alice, "message:created"),
        bob: collect<Created>(sockets.bob, "message:created"),
        carol: collect<Created>(sockets.carol, "message:created"),
        dave: collect<Created>(sockets.dave, "message:created"),
      };
      const group = await createGroup(alice, "Trio", [bob.id, carol.id]);
      assert.equal(group.kind, "group");
      assert.deepEqual(group.members.map((m) => m.id).sort(), [alice.id, bob.id, carol.id].sort());

      // The announcement runs after the HTTP response; a send before it lands could beat the room
      // join (clients then converge by sync), so the live path is checked once it has arrived.
      for (const name of ["alice", "bob", "carol"] as const) {
        await waitFor(() => created[name].some((e) => e.conversation.id === group.id), { what: `${name}'s conversation:created` });
      }

      const fromBob = await sendSocket(sockets.bob, group.id, "hello trio");
      const has = (name: keyof typeof seen, id: string) => seen[name].some((e) => e.message.id === id);
      await waitFor(() => has("alice", fromBob.id) && has("carol", fromBob.id), { timeoutMs: 1_000, what: "Bob's group message" });

      const fromCarol = await postMessage(carol, group.id, { clientMsgId: randomUUID(), text: "over http" });
      await waitFor(() => has("alice", fromCarol.message.id) && has("bob", fromCarol.message.id), { timeoutMs: 1_000, what: "Carol's group message" });

      await sleep(300);
      assert.deepEqual(created.dave, [], "a non-member heard of the group");
      assert.equal(seen.dave.filter((e) => e.message.conversationId === group.id).length, 0, "a non-member received a group message");
    });

    it("lets a socket that connects after the group exists receive its messages", async () => {
      const group = await createGroup(bob, "Later", [alice.id, dave.id]);
      const late = await connect(stack, { token: dave.token });
      try {
        const daveSees = collect<Created>(late, "message:created");
        const message = await sendSocket(sockets.alice, group.id, "are you there?");
        await waitFor(() => daveSees.some((e) => e.message.id === message.id), { timeoutMs: 1_000, what: "the message on the new socket" });
      } finally {
        late.disconnect();
      }
    });
  });

  describe("conversation list", () => {
    it("orders by latest activity, counts unread for the recipient, and clears it on conversation:read", async () => {
      const [xavier, yara, zoe] = await Promise.all([createUser(stack, "Xavier List"), createUser(stack, "Yara List"), createUser(stack, "Zoe List")]);
      const withYara = await openDirect(xavier, yara);
      const withZoe = await openDirect(zoe, xavier);
      const [xs, ys, zs] = await Promise.all([xavier, yara, zoe].map((user) => connect(stack, { token: user.token })));
      try {
        for (let i = 0; i < 3; i += 1) await sendSocket(ys!, withYara, `yara ${i}`);
        await sleep(20);
        for (let i = 0; i < 2; i += 1) await sendSocket(zs!, withZoe, `zoe ${i}`);

        let list = await conversations(xavier);
        assert.deepEqual(list.map((c) => c.id), [withZoe, withYara], "most recent activity first");
        assert.deepEqual(list.map((c) => c.unreadCount), [2, 3]);
        assert.equal(list[0]!.lastMessage?.preview, "zoe 1");
        assert.equal((await conversations(yara)).find((c) => c.id === withYara)?.unreadCount, 0, "own messages are not unread");

        await sleep(20);
        const last = await sendSocket(ys!, withYara, "yara again");
        list = await conversations(xavier);
        assert.deepEqual(list.map((c) => c.id), [withYara, withZoe], "the newer message moves its conversation up");
        assert.equal(list[0]!.unreadCount, 4);
        assert.equal(list[0]!.lastSeq, last.seq);

        const receipts = collect<{ conversationId: string; readSeq: number }>(xs!, "receipt");
        const read = await emitAck<{ lastReadSeq: number }>(xs!, "conversation:read", { conversationId: withYara, seq: last.seq });
        assert.deepEqual(read, { ok: true, data: { lastReadSeq: last.seq } } satisfies Ack<{ lastReadSeq: number }>);
        list = await conversations(xavier);
        const yaraThread = list.find((c) => c.id === withYara)!;
        assert.equal(yaraThread.unreadCount, 0);
        assert.equal(yaraThread.lastReadSeq, last.seq);
        assert.equal(list.find((c) => c.id === withZoe)?.unreadCount, 2, "reading one conversation leaves the other unread");
        await waitFor(() => receipts.find((r) => r.conversationId === withYara && r.readSeq === last.seq), { what: "the reader's own receipt" });

        // A seq beyond the end is capped at the last message, and the watermark never moves back.
        const capped = await emitAck<{ lastReadSeq: number }>(xs!, "conversation:read", { conversationId: withZoe, seq: 1_000_000 });
        assert.ok(capped.ok);
        const zoeLast = (await history(xavier, withZoe)).messages.at(-1)!.seq;
        assert.equal(capped.data.lastReadSeq, zoeLast);
        const back = await emitAck<{ lastReadSeq: number }>(xs!, "conversation:read", { conversationId: withZoe, seq: 1 });
        assert.ok(back.ok);
        assert.equal(back.data.lastReadSeq, zoeLast);
        assert.equal((await conversations(xavier)).find((c) => c.id === withZoe)?.unreadCount, 0);
      } finally {
        for (const socket of [xs, ys, zs]) socket?.disconnect();
      }
    });
  });
});
