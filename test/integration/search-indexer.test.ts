// The search indexer's short way (lib/search/indexer.ts): what this process stored is written to
// the index in one go for every conversation it changed within the delay, and the long way
// (reading the versions after searchVersion) takes over whenever the short way cannot be sure:
// another writer's versions in between, or a rebuild's reset. In-process against the real
// embedded database, with the driver's command monitoring on.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ObjectId } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";
import type { ConversationDoc } from "../../lib/db/conversations";
import type { MessageDoc } from "../../lib/db/messages";
import type { PostingDoc } from "../../lib/db/search";

type Db = Awaited<ReturnType<typeof resolveDatabase>>;
type Command = { name: string; collection: string; body: Record<string, unknown> };

describe("the search indexer", { timeout: 120_000 }, () => {
  let database: Db;
  let dataDir: string;
  let lib: {
    appendMessage: typeof import("../../lib/chat/append").appendMessage;
    indexer: typeof import("../../lib/search/indexer");
    conversations: typeof import("../../lib/db/conversations");
    messages: typeof import("../../lib/db/messages");
    search: typeof import("../../lib/db/search");
    db: typeof import("../../lib/db/client");
    keys: typeof import("../../lib/search/keys");
  };
  const commands: Command[] = [];
  const sender = { id: new ObjectId(), name: "Ana Indexer" };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-indexer-"));
    database = await resolveDatabase({ dataDir });
    // One message at a time (no write batching): each send hands the indexer its own message.
    Object.assign(process.env, { MONGODB_URI: database.uri, MONGODB_DB: `parley_indexer_${randomUUID().slice(0, 8)}`, MESSAGE_WRITE_BATCH_MS: process.env.TEST_BATCH_MS ?? "0", SEARCH_INDEX: "on" });
    lib = {
      appendMessage: (await import("../../lib/chat/append")).appendMessage,
      indexer: await import("../../lib/search/indexer"),
      conversations: await import("../../lib/db/conversations"),
      messages: await import("../../lib/db/messages"),
      search: await import("../../lib/db/search"),
      db: await import("../../lib/db/client"),
      keys: await import("../../lib/search/keys"),
    };
    await (await import("../support/command-monitor")).watchCommands({
      started: (event) => {
        const body = event.command as Record<string, unknown>;
        commands.push({ name: event.commandName, collection: String(body[event.commandName]), body });
      },
    });
  });

  after(async () => {
    await lib?.db.closeDb();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const collection = async <T extends object>(name: string) => (await lib.db.getDb()).collection<T>(name);

  async function newConversation(): Promise<ObjectId> {
    const _id = new ObjectId();
    await (await collection<Record<string, unknown>>("conversations")).insertOne({ _id, kind: "group", key: `group:${randomUUID()}`, name: "indexer", createdBy: sender.id, createdAt: new Date(), lastMessage: null, lastActivityAt: new Date() });
    return _id;
  }

  const send = (conversationId: ObjectId, text: string) =>
    lib.appendMessage({
      message: {
        conversationId, senderId: sender.id, senderName: sender.name, clientMsgId: randomUUID(), kind: "text", text,
        replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null,
      },
      onConflict: async () => null,
    });

  /** Every message of the conversation has its posting at its version, and the conversation says so. */
  async function assertIndexed(conversationId: ObjectId) {
    const docs = await (await collection<MessageDoc>("messages")).find({ conversationId }).toArray();
    const postings = new Map((await (await collection<PostingDoc>("searchIndex")).find({ c: conversationId }).toArray()).map((p) => [p._id.toHexString(), p]));
    assert.equal(postings.size, docs.length, "one posting per message");
    for (const doc of docs) {
      const posting = postings.get(doc._id.toHexString());
      assert.equal(posting?.v, doc.version, `"${doc.text}" is indexed at its version`);
      assert.equal(posting?.t, doc.text);
      assert.ok(posting?.w?.includes(lib.keys.senderKey(sender.id.toHexString())), "filed under its sender");
    }
    const conversation = await (await collection<ConversationDoc>("conversations")).findOne({ _id: conversationId });
    assert.equal(conversation?.searchVersion, Math.max(...docs.map((d) => d.version)), "searchVersion is the highest version");
    assert.equal(conversation?.searchBehind, undefined, "no longer flagged behind");
  }

  const since = (mark: number) => commands.slice(mark);
  const on = (list: Command[], name: string, collectionName: string) => list.filter((c) => c.name === name && c.collection === collectionName);

  it("writes what many conversations changed within the delay with one insert and one write of their positions", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => newConversation()));
    // The first change to each conversation goes the long way: this process does not know where its index stands.
    await Promise.all(ids.map((id) => send(id, "first words")));
    await lib.indexer.indexingSettled();
    const mark = commands.length;
    await Promise.all(ids.flatMap((id) => [1, 2, 3].map((n) => send(id, `deploy number ${n} of ${id.toHexString().slice(-4)}`))));
    await lib.indexer.indexingSettled();
    const issued = since(mark);
    // Written together: one insert and one update when the 18 sends are stored within the delay,
    // as they are unless the machine is very slow; never one per change.
    const inserts = on(issued, "insert", "searchIndex");
    assert.equal(inserts.reduce((n, c) => n + (c.body.documents as unknown[]).length, 0), 18, "every posting written");
    assert.ok(inserts.length <= 2, `the postings in one insert (two at most): ${inserts.length}`);
    const moves = on(issued, "update", "conversations").filter((c) => JSON.stringify(c.body.updates).includes("searchVersion"));
    assert.ok(moves.length >= 1 && moves.length <= 4, `every conversation's searchVersion moved by one write (a few at most): ${moves.length}`);
    assert.equal(on(issued, "find", "messages").length, 0, "no message read back: the indexer was handed them");
    for (const id of ids) await assertIndexed(id);
  });

  it("goes the long way when another writer's version comes in between, and misses nothing", async () => {
    const id = await newConversation();
    await send(id, "mine one");
    await lib.indexer.indexingSettled();
    // Another process stores the next message and dies before indexing it: only the flag tells.
    const { seq, version } = { seq: 2, version: 2 };
    await lib.messages.insertMessage({
      conversationId: id, senderId: sender.id, senderName: sender.name, clientMsgId: randomUUID(), kind: "text", text: "theirs in between",
      replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null, seq, version, createdAt: new Date(),
    });
    await lib.conversations.raiseConversationVersion({ id, version });
    // This process's positions are re-read when its own insert collides; its next message follows the other's.
    const sent = await send(id, "mine two");
    assert.equal(sent.message.version, 3);
    await lib.indexer.indexingSettled();
    await assertIndexed(id);
  });

  it("the sweep catches up a conversation left behind once it has been quiet for a while, and leaves a busy one to its writers", async () => {
    const [quiet, busy] = await Promise.all([newConversation(), newConversation()]);
    const sent = await Promise.all([send(quiet, "quiet words"), send(busy, "busy words")]);
    await lib.indexer.indexingSettled();
    // As if the process had stored each message and died before indexing it.
    const postings = await collection<PostingDoc>("searchIndex");
    const conversations = await collection<ConversationDoc>("conversations");
    for (const [id, { message }] of [[quiet, sent[0]], [busy, sent[1]]] as const) {
      await postings.deleteOne({ _id: new ObjectId(message.id) });
      await conversations.updateOne({ _id: id }, { $set: { searchBehind: true, searchVersion: message.version - 1 } });
    }
    await conversations.updateOne({ _id: quiet }, { $set: { lastActivityAt: new Date(Date.now() - 60_000) } });
    await lib.indexer.indexBehindConversations({ quietMs: 30_000 });
    await assertIndexed(quiet);
    assert.equal(await postings.countDocuments({ c: busy }), 0, "the busy conversation is not swept yet");
    await lib.indexer.indexBehindConversations({ quietMs: 0 });
    await assertIndexed(busy);
  });

  it("goes the long way when a rebuild has reset the index meanwhile, and indexes the conversation again from nothing", async () => {
    const id = await newConversation();
    await send(id, "before the reset");
    await lib.indexer.indexingSettled();
    const db = await lib.db.getDb();
    await lib.search.clearSearchIndex({ db });
    await lib.conversations.resetSearchVersions({ db });
    await send(id, "after the reset");
    await lib.indexer.indexingSettled();
    await assertIndexed(id);
  });
});
