// Edit, delete (for everyone, for me), react and pin, over real sockets and HTTP: what the other
// members hear live, what sync and history say afterwards, every denial (nothing written, nothing
// heard), and N members reacting to one message at once over both processes (none lost).
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import type { ConversationDto, MessageDto, MessagePage, SyncResult } from "../../lib/schemas/dto";
import { WITHOUT_INDEX_BOOKKEEPING } from "../support/snapshot";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

const WINDOW_SECONDS = 6;
const QUIET_MS = 300;

type Ok<T> = { ok: true; data: T };

describe("message actions", { timeout: 180_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let direct: string;
  const pool = socketPool(() => stack);

  before(async () => {
    stack = await startStack({ env: { MESSAGE_EDIT_WINDOW_SECONDS: String(WINDOW_SECONDS) } });
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((n) => createUser(stack, `${n} Actions`)))) as [TestUser, TestUser, TestUser];
    direct = await openDirect(alice, bob);
  });

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  const send = async (socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> => {
    const ack = await emitAck<{ message: MessageDto }>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
    assert.ok(ack.ok, JSON.stringify(ack));
    return ack.data.message;
  };
  const change = async (socket: TestSocket, event: "message:edit" | "message:delete" | "message:react" | "message:pin", payload: object): Promise<MessageDto> => {
    const ack = await emitAck<{ message: MessageDto }>(socket, event, payload);
    assert.ok(ack.ok, `${event}: ${JSON.stringify(ack)}`);
    return (ack as Ok<{ message: MessageDto }>).data.message;
  };
  const history = async (user: TestUser, conversationId: string): Promise<MessagePage> =>
    (await (await user.api(`/api/conversations/${conversationId}/messages?limit=100`)).json()) as MessagePage;
  const sync = async (user: TestUser, conversationId: string, since: number): Promise<SyncResult> =>
    (await (await user.api(`/api/conversations/${conversationId}/sync?since=${since}`)).json()) as SyncResult;
  const snapshot = async () => {
    const database = db.db(stack.env.MONGODB_DB);
    return JSON.stringify(await Promise.all(["conversations", "messages"].map((c) => database.collection(c).find({}, WITHOUT_INDEX_BOOKKEEPING).sort({ _id: 1 }).toArray())));
  };

  it("an edit reaches the other member live, marked edited at a new version, and history, sync and the list show it", async () => {
    const [aliceSocket, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
    const bobHears = collect<{ message: MessageDto }>(bobSocket, "message:updated");
    const sent = await send(aliceSocket, direct, "helo");
    const edited = await change(aliceSocket, "message:edit", { messageId: sent.id, text: "  hello  " });
    assert.equal(edited.text, "hello", "edited text is validated and trimmed like a send");
    assert.ok(edited.editedAt);
    assert.ok(edited.version > sent.version);
    assert.equal(edited.seq, sent.seq, "an edit takes a version, not a seq");
    const heard = await waitFor(() => bobHears.find((e) => e.message.id === sent.id), { what: "bob hears the edit" });
    assert.deepEqual(heard.message, edited);
    const bobsView = (await history(bob, direct)).messages.find((m) => m.id === sent.id);
    assert.equal(bobsView?.text, "hello");
    assert.ok(bobsView?.editedAt);
    assert.deepEqual((await sync(bob, direct, sent.version)).messages.map((m) => [m.id, m.text]), [[sent.id, "hello"]]);
    const list = (await (await bob.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
    assert.equal(list.conversations.find((c) => c.id === direct)?.lastMessage?.preview, "hello");
    // Edited text is validated like a send.
    const empty = await emitAck(aliceSocket, "message:edit", { messageId: sent.id, text: "   " });
    assert.ok(!empty.ok && empty.error.code === "VALIDATION");
  });

  it("delete for everyone leaves a tombstone for every member, live, in history, sync and the list preview", async () => {
    const [aliceSocket, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
    const bobHears = collect<{ message: MessageDto }>(bobSocket, "message:updated");
    const sent = await send(aliceSocket, direct, "a secret said by mistake");
    const deleted = await change(aliceSocket, "message:delete", { messageId: sent.id, for: "everyone" });
    assert.equal(deleted.text, "");
    assert.ok(deleted.deletedAt);
    const heard = await waitFor(() => bobHears.find((e) => e.message.id === sent.id), { what: "bob hears the deletion" });
    assert.equal(heard.message.text, "");
    assert.ok(heard.message.deletedAt);
    const page = await history(bob, direct);
    assert.ok(page.messages.find((m) => m.id === sent.id)?.deletedAt);
    const synced = await sync(bob, direct, sent.version);
    assert.deepEqual(synced.messages.map((m) => [m.id, m.text, m.deletedAt !== null]), [[sent.id, "", true]]);
    const list = await (await bob.api("/api/conversations")).text();
    assert.ok(!list.includes("said by mistake") && list.includes("This message was deleted"), "the list preview still shows the deleted text");
    const stored = await db.db(stack.env.MONGODB_DB).collection("messages").findOne({ clientMsgId: sent.clientMsgId });
    assert.equal(stored?.text, "", "the text is gone from the database too");
    // Gone is gone: no edit, reaction or pin of a deleted message.
    for (const [event, payload] of [["message:edit", { messageId: sent.id, text: "back" }], ["message:react", { messageId: sent.id, emoji: "👍" }], ["message:pin", { messageId: sent.id, pinned: true }]] as const) {
      const ack = await emitAck(aliceSocket, event, payload);
      assert.ok(!ack.ok && ack.error.code === "FORBIDDEN", `${event} of a deleted message: ${JSON.stringify(ack)}`);
    }
  });

  it("delete for me hides it on all my sockets, in my history and sync, and nowhere else; hiddenFor never leaves", async () => {
    const [aliceSocket, bobTab1, bobTab2] = await Promise.all([pool.open(alice), pool.open(bob), pool.open(bob)]);
    const aliceHears = collect<unknown>(aliceSocket, "message:updated");
    const bobTab2Hears = collect<{ message: MessageDto }>(bobTab2, "message:updated");
    const sent = await send(aliceSocket, direct, "only bob will hide this");
    const hidden = await change(bobTab1, "message:delete", { messageId: sent.id, for: "me" });
    assert.equal(hidden.hidden, true);
    assert.equal(hidden.text, "");
    const heard = await waitFor(() => bobTab2Hears.find((e) => e.message.id === sent.id), { what: "bob's other tab hears it" });
    assert.equal(heard.message.hidden, true);
    await sleep(QUIET_MS);
    assert.deepEqual(aliceHears, [], "alice heard bob's delete for me");
    const bobs = (await history(bob, direct)).messages.find((m) => m.id === sent.id);
    assert.equal(bobs?.hidden, true);
    assert.equal(bobs?.text, "");
    assert.equal((await sync(bob, direct, sent.version)).messages.find((m) => m.id === sent.id)?.hidden, true);
    const alices = (await history(alice, direct)).messages.find((m) => m.id === sent.id);
    assert.equal(alices?.text, "only bob will hide this");
    assert.equal(alices?.hidden, undefined);
    const aliceSync = await (await alice.api(`/api/conversations/${direct}/sync?since=0`)).text();
    assert.ok(!aliceSync.includes("hiddenFor") && !aliceSync.includes('"hidden"'), "another member learns who hid what");
    // The list: bob's preview no longer shows the text he deleted for himself; alice's still does.
    const previewOf = async (user: TestUser) =>
      ((await (await user.api("/api/conversations")).json()) as { conversations: ConversationDto[] }).conversations.find((c) => c.id === direct)?.lastMessage?.preview;
    assert.equal(await previewOf(bob), "You deleted this message");
    assert.equal(await previewOf(alice), "only bob will hide this");
    // A later change heard in the room does not bring it back for bob (his client keeps it hidden),
    // and his own sync still says hidden.
    await change(aliceSocket, "message:edit", { messageId: sent.id, text: "edited after bob hid it" });
    const later = await sync(bob, direct, hidden.version);
    assert.deepEqual(later.messages.map((m) => [m.id, m.hidden, m.text]), [[sent.id, true, ""]]);
  });

  it("reactions toggle per person, carry counts and who, and `add` makes a retry harmless", async () => {
    const [aliceSocket, bobSocket] = await Promise.all([pool.open(alice), pool.open(bob)]);
    const sent = await send(aliceSocket, direct, "react to me");
    await change(aliceSocket, "message:react", { messageId: sent.id, emoji: "👍" });
    const both = await change(bobSocket, "message:react", { messageId: sent.id, emoji: "👍" });
    assert.deepEqual(both.reactions, [{ emoji: "👍", userIds: [alice.id, bob.id] }]);
    const withHeart = await change(bobSocket, "message:react", { messageId: sent.id, emoji: "❤️", add: true });
    const again = await change(bobSocket, "message:react", { messageId: sent.id, emoji: "❤️", add: true });
    assert.equal(again.version, withHeart.version, "a repeated add changes nothing");
    const toggledOff = await change(aliceSocket, "message:react", { messageId: sent.id, emoji: "👍" });
    assert.deepEqual(toggledOff.reactions, [{ emoji: "👍", userIds: [bob.id] }, { emoji: "❤️", userIds: [bob.id] }]);
    for (const emoji of ["a", "👍👍", "", "<b>", "❤"]) {
      const ack = await emitAck(bobSocket, "message:react", { messageId: sent.id, emoji });
      assert.ok(!ack.ok && ack.error.code === "VALIDATION", `emoji ${JSON.stringify(emoji)}: ${JSON.stringify(ack)}`);
    }
  });

  it("pins show on the newest page's pinned list, also for messages older than that page, and unpin removes them", async () => {
    const aliceSocket = await pool.open(alice);
    const conversationId = await openDirect(alice, carol);
    const old = await send(aliceSocket, conversationId, "the old plan");
    for (let i = 0; i < 8; i += 1) await send(aliceSocket, conversationId, `filler ${i}`);
    const pinned = await change(aliceSocket, "message:pin", { messageId: old.id, pinned: true });
    assert.ok(pinned.pinnedAt);
    assert.equal(pinned.pinnedBy, alice.id);
    const page = (await (await carol.api(`/api/conversations/${conversationId}/messages?limit=3`)).json()) as MessagePage;
    assert.ok(!page.messages.some((m) => m.id === old.id), "the pinned message is older than the page");
    assert.deepEqual(page.pinned?.map((m) => m.id), [old.id]);
    const older = (await (await carol.api(`/api/conversations/${conversationId}/messages?limit=3&before=5`)).json()) as MessagePage;
    assert.equal(older.pinned, undefined, "only the newest page carries the pins");
    const response = await carol.api(`/api/messages/${old.id}/pin`, { method: "DELETE" });
    assert.equal(response.status, 200);
    const after = (await (await carol.api(`/api/conversations/${conversationId}/messages?limit=3`)).json()) as MessagePage;
    assert.deepEqual(after.pinned, []);
  });

  it("sync after a gap returns every change made meanwhile: the edit, the tombstone, the reaction and the pin", async () => {
    const aliceSocket = await pool.open(alice);
    const [m1, m2, m3] = [await send(aliceSocket, direct, "one"), await send(aliceSocket, direct, "two"), await send(aliceSocket, direct, "three")];
    const since = m3.version;
    // Bob is away (no socket) while all of this happens.
    await change(aliceSocket, "message:edit", { messageId: m1.id, text: "one, edited" });
    await change(aliceSocket, "message:delete", { messageId: m2.id, for: "everyone" });
    await change(aliceSocket, "message:react", { messageId: m3.id, emoji: "🎉" });
    const last = await change(aliceSocket, "message:pin", { messageId: m3.id, pinned: true });
    const bobSocket = await pool.open(bob);
    const ack = await emitAck<SyncResult>(bobSocket, "sync", { conversationId: direct, sinceVersion: since });
    assert.ok(ack.ok);
    const byId = new Map(ack.data.messages.map((m) => [m.id, m]));
    assert.equal(byId.get(m1.id)?.text, "one, edited");
    assert.ok(byId.get(m1.id)?.editedAt);
    assert.equal(byId.get(m2.id)?.text, "");
    assert.ok(byId.get(m2.id)?.deletedAt);
    assert.deepEqual(byId.get(m3.id)?.reactions, [{ emoji: "🎉", userIds: [alice.id] }]);
    assert.ok(byId.get(m3.id)?.pinnedAt);
    assert.equal(ack.data.version, last.version);
    assert.equal(ack.data.messages.length, 3, "each changed message once, at its latest version");
  });

  describe("denials change nothing and announce nothing", () => {
    it("edit or delete for everyone of someone else's message: FORBIDDEN; after the window: FORBIDDEN; a non-member: NOT_FOUND", async () => {
      const [aliceSocket, bobSocket, carolSocket] = await Promise.all([pool.open(alice), pool.open(bob), pool.open(carol)]);
      const heard: string[] = [];
      for (const [name, socket] of [["alice", aliceSocket], ["bob", bobSocket], ["carol", carolSocket]] as const) {
        socket.onAny((event: string) => heard.push(`${name} heard ${event}`));
      }
      const fresh = await send(aliceSocket, direct, "alice's own words");
      const old = await send(aliceSocket, direct, "soon too old to change");
      await sleep(WINDOW_SECONDS * 1000 + 500);
      await sleep(QUIET_MS);
      heard.length = 0;
      const missing = randomBytes(12).toString("hex");
      const cases: [string, TestSocket, string, object, string][] = [
        ["bob edits alice's message", bobSocket, "message:edit", { messageId: fresh.id, text: "not mine" }, "FORBIDDEN"],
        ["bob deletes alice's message for everyone", bobSocket, "message:delete", { messageId: fresh.id, for: "everyone" }, "FORBIDDEN"],
        ["alice edits after the window", aliceSocket, "message:edit", { messageId: old.id, text: "too late" }, "FORBIDDEN"],
        ["alice deletes for everyone after the window", aliceSocket, "message:delete", { messageId: old.id, for: "everyone" }, "FORBIDDEN"],
        ["carol (not a member) edits", carolSocket, "message:edit", { messageId: fresh.id, text: "intruder" }, "NOT_FOUND"],
        ["carol deletes for everyone", carolSocket, "message:delete", { messageId: fresh.id, for: "everyone" }, "NOT_FOUND"],
        ["carol deletes for herself", carolSocket, "message:delete", { messageId: fresh.id, for: "me" }, "NOT_FOUND"],
        ["carol reacts", carolSocket, "message:react", { messageId: fresh.id, emoji: "👍" }, "NOT_FOUND"],
        ["carol pins", carolSocket, "message:pin", { messageId: fresh.id, pinned: true }, "NOT_FOUND"],
        ["carol edits a message that does not exist", carolSocket, "message:edit", { messageId: missing, text: "x" }, "NOT_FOUND"],
      ];
      const notFoundMessages = new Set<string>();
      for (const [label, socket, event, payload, code] of cases) {
        const before = await snapshot();
        const ack = await emitAck(socket, event as "message:edit", payload);
        assert.ok(!ack.ok, `${label} succeeded`);
        assert.equal(ack.error.code, code, `${label}: ${JSON.stringify(ack.error)}`);
        if (code === "NOT_FOUND") notFoundMessages.add(ack.error.message);
        assert.equal(await snapshot(), before, `${label} changed the database`);
      }
      assert.equal(notFoundMessages.size, 1, "a message of someone else's conversation must look exactly like a missing one");
      // The same over HTTP.
      const patch = await bob.api(`/api/messages/${fresh.id}`, { method: "PATCH", body: JSON.stringify({ text: "not mine" }) });
      assert.equal(patch.status, 403);
      const remove = await carol.api(`/api/messages/${fresh.id}?for=me`, { method: "DELETE" });
      assert.equal(remove.status, 404);
      await sleep(QUIET_MS);
      assert.deepEqual(heard, [], "a denied change was announced");
      // Deleting for me is open to anyone in the conversation, whatever the age and sender.
      assert.equal((await bob.api(`/api/messages/${old.id}?for=me`, { method: "DELETE" })).status, 200);
    });
  });

  it(`${8} members reacting to one message at once, over the socket and HTTP together, keep every reaction`, async () => {
    const members = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(stack, `Reactor${i} Actions`)));
    const created = await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Reactors", memberIds: members.map((m) => m.id) }) });
    const group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const aliceSocket = await pool.open(alice);
    const target = await send(aliceSocket, group, "everyone react now");
    const sockets = await Promise.all(members.map((m) => pool.open(m)));
    const emojis = ["👍", "❤️", "😂", "🎉"];
    for (let round = 0; round < 3; round += 1) {
      const emoji = emojis[round % emojis.length]!;
      const results = await Promise.all(
        members.map(async (member, i) => {
          // Half over the socket server, half over the web app: two processes writing one message.
          if (i % 2 === 0) return emitAck(sockets[i]!, "message:react", { messageId: target.id, emoji, add: true });
          const response = await member.api(`/api/messages/${target.id}/reactions`, { method: "POST", body: JSON.stringify({ emoji, add: true }) });
          return { ok: response.status === 200, status: response.status };
        }),
      );
      assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      const stored = (await history(alice, group)).messages.find((m) => m.id === target.id)!;
      const who = stored.reactions.find((r) => r.emoji === emoji)?.userIds.sort();
      assert.deepEqual(who, members.map((m) => m.id).sort(), `round ${round}: a reaction was lost`);
    }
    const versions = (await sync(alice, group, 0)).messages.map((m) => m.version);
    assert.equal(new Set(versions).size, versions.length, "two changes took one version");
  });
});
