// Batched message writes (lib/chat/message-batch.ts), in-process against the real embedded
// database with the driver's command monitoring on: what batching adds to the send path must
// keep every invariant of writing one message at a time.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ObjectId } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";
import type { SentMessage } from "../../lib/chat/new-message";
import type { MessageDoc } from "../../lib/db/messages";
import { toMessageDto } from "../../lib/chat/dto";
import { AppError, toAppError } from "../../lib/errors";
import type { InsertMonitor } from "../support/insert-monitor";

type Db = Awaited<ReturnType<typeof resolveDatabase>>;
const WINDOW_MS = "20";
// Freezing the database (SIGSTOP) needs the embedded one, started here.
const embedded = !process.env.MONGODB_URI;

describe("batched message writes", { timeout: 120_000 }, () => {
  let database: Db;
  let dataDir: string;
  let dbName: string;
  let lib: {
    appendMessage: typeof import("../../lib/chat/append").appendMessage;
    messages: typeof import("../../lib/db/messages");
    db: typeof import("../../lib/db/client");
  };
  /** Documents per insert command on messages, in order, and how many a unique index refused part of. */
  let monitor: InsertMonitor;
  const sender = { id: new ObjectId(), name: "Ana" };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-batch-"));
    database = await resolveDatabase({ dataDir });
    dbName = `parley_batch_${randomUUID().slice(0, 8)}`;
    Object.assign(process.env, { MONGODB_URI: database.uri, MONGODB_DB: dbName, MESSAGE_WRITE_BATCH_MS: WINDOW_MS });
    lib = {
      appendMessage: (await import("../../lib/chat/append")).appendMessage,
      messages: await import("../../lib/db/messages"),
      db: await import("../../lib/db/client"),
    };
    monitor = await (await import("../support/insert-monitor")).monitorMessageInserts();
  });

  after(async () => {
    if (database?.pid) process.kill(database.pid, "SIGCONT");
    await lib?.db.closeDb();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newConversation(): Promise<ObjectId> {
    const _id = new ObjectId();
    await (await lib.db.getDb()).collection("conversations").insertOne({ _id, kind: "group", key: `group:${randomUUID()}`, name: "batch", createdBy: sender.id, createdAt: new Date(), lastMessage: null, lastActivityAt: new Date() });
    return _id;
  }

  const draft = (conversationId: ObjectId, text: string, clientMsgId: string = randomUUID(), senderId = sender.id) => ({
    conversationId, senderId, senderName: sender.name, clientMsgId, kind: "text" as const, text,
    replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null,
  });

  /** Appends like sendMessage does: a repeat of (conversation, sender, clientMsgId) answers with the stored copy. */
  function send(message: ReturnType<typeof draft>): Promise<SentMessage> {
    return lib.appendMessage({
      message,
      onConflict: async () => {
        const existing = await lib.messages.getMessageByClientId(message);
        return existing ? { message: toMessageDto(existing), duplicate: true } : null;
      },
    });
  }

  /** Also checks, the moment each ack arrives, that its message can be read back as acknowledged. */
  async function sendAll(messages: ReturnType<typeof draft>[], { everyMs = 0 } = {}): Promise<SentMessage[]> {
    const acks: Promise<SentMessage>[] = [];
    for (const message of messages) {
      if (everyMs > 0 && acks.length > 0) await new Promise((resolve) => setTimeout(resolve, everyMs));
      acks.push(
        send(message).then(async (sent) => {
          const stored = await lib.messages.getMessageById({ id: new ObjectId(sent.message.id) });
          assert.ok(stored, `"${message.text}" is readable when its ack arrives`);
          assert.deepEqual([stored.seq, stored.version], [sent.message.seq, sent.message.version], `the ack of "${message.text}" names it as stored`);
          return sent;
        }),
      );
    }
    return Promise.all(acks);
  }

  async function stored(conversationId: ObjectId): Promise<MessageDoc[]> {
    return (await lib.db.getDb()).collection<MessageDoc>("messages").find({ conversationId }).sort({ seq: 1 }).toArray();
  }

  function assertConsecutive(docs: MessageDoc[]) {
    assert.deepEqual(docs.map((d) => d.seq), docs.map((_, i) => i + 1), "seqs 1..N, no gaps or duplicates");
    const versions = docs.map((d) => d.version);
    assert.deepEqual(versions, versions.toSorted((a, b) => a - b), "versions rise with seqs");
    assert.equal(new Set(versions).size, versions.length, "unique versions");
  }

  it("stores concurrent sends with few inserts, in the order they were made, each ack after its message", async () => {
    const conversationId = await newConversation();
    const before = monitor.sizes.length;
    const acks = await sendAll(Array.from({ length: 60 }, (_, i) => draft(conversationId, `m ${i}`)));
    assert.deepEqual(acks.map((a) => a.message.seq), Array.from({ length: 60 }, (_, i) => i + 1), "seqs follow the order of the sends");
    assert.ok(acks.every((a) => !a.duplicate));
    const docs = await stored(conversationId);
    assertConsecutive(docs);
    assert.deepEqual(docs.map((d) => d.text), acks.map((a) => a.message.text));
    const used = monitor.sizes.slice(before);
    assert.ok(used.length < 10 && Math.max(...used) > 1, `60 messages took ${used.length} inserts (${used.join(", ")})`);
    const conversation = await (await lib.db.getDb()).collection("conversations").findOne({ _id: conversationId });
    assert.equal(conversation?.lastMessage?.seq, 60, "the list shows the newest message");
    assert.equal(conversation?.lastMessage?.preview, "m 59");
  });

  it("answers a repeat inside the same batch with the first one's message, stored once", async () => {
    const conversationId = await newConversation();
    const key = randomUUID();
    const [a, b, again, c] = await sendAll([draft(conversationId, "a", key), draft(conversationId, "b"), draft(conversationId, "a", key), draft(conversationId, "c")]);
    assert.equal(again!.duplicate, true);
    assert.equal(again!.message.id, a!.message.id);
    assert.equal(a!.duplicate, false);
    assert.deepEqual([a, b, c].map((s) => s!.message.seq), [1, 2, 3]);
    const docs = await stored(conversationId);
    assertConsecutive(docs);
    assert.deepEqual(docs.map((d) => d.text), ["a", "b", "c"]);
  });

  it("answers a repeat of a stored message refused midway through a batch, and stores the rest without a gap", async () => {
    const conversationId = await newConversation();
    const key = randomUUID();
    const [first] = await sendAll([draft(conversationId, "x", key)]);
    const before = monitor.sizes.length;
    const [p, repeat, q] = await sendAll([draft(conversationId, "p"), draft(conversationId, "x", key), draft(conversationId, "q")]);
    assert.equal(repeat!.duplicate, true);
    assert.equal(repeat!.message.id, first!.message.id);
    assert.deepEqual([p!.message.seq, q!.message.seq], [2, 3]);
    assert.deepEqual(monitor.sizes.slice(before), [3, 1], "one insert stopped at the repeat, the rest went again");
    assertConsecutive(await stored(conversationId));
  });

  it("stores the messages before a position another process took, and the rest after it", async () => {
    const conversationId = await newConversation();
    await sendAll([draft(conversationId, "first")]);
    // Another process's message at seq 3 (this process still believes seq 1 is the highest).
    await lib.messages.insertMessage({ ...draft(conversationId, "theirs", randomUUID(), new ObjectId()), seq: 3, version: 3, createdAt: new Date() });
    const before = monitor.sizes.length;
    const acks = await sendAll([draft(conversationId, "a"), draft(conversationId, "b"), draft(conversationId, "c")]);
    assert.deepEqual(acks.map((a) => a.message.seq), [2, 4, 5], "a before the taken position, b and c after it, in order");
    assert.deepEqual(monitor.sizes.slice(before), [3, 2], "the insert stopped at b; b and c went again");
    const docs = await stored(conversationId);
    assertConsecutive(docs);
    assert.deepEqual(docs.map((d) => d.text), ["first", "a", "theirs", "b", "c"]);
  });

  it("stores every message once, in each process's order, when two processes send to one conversation at once", async () => {
    const conversationId = await newConversation();
    const other = new ObjectId();
    const count = 150;
    // Both start at the same moment, once the other process is ready, and send one message
    // every 2 ms: many batches each, which meet the other process's.
    const refusedBefore = monitor.refused;
    const { go, acks: child } = await runOtherProcess({ conversationId: conversationId.toHexString(), senderId: other.toHexString(), prefix: "other", count, everyMs: 2 });
    go();
    const mine = await sendAll(Array.from({ length: count }, (_, i) => draft(conversationId, `mine ${i}`)), { everyMs: 2 });
    const { acks: theirs, refused: refusedThere } = await child;
    const docs = await stored(conversationId);
    assert.equal(docs.length, 2 * count);
    assertConsecutive(docs);
    for (const acks of [mine.map((a) => a.message), theirs]) {
      const seqs = acks.map((a) => a.seq);
      assert.deepEqual(seqs, seqs.toSorted((a, b) => a - b), "each process's sends in the order it made them");
      for (const ack of acks) assert.equal(docs.find((d) => d.seq === ack.seq)?.text, ack.text, "each ack names the stored message");
    }
    // Else this proves nothing: the processes met, and one's batch lost positions to the other's.
    // (Which one keeps winning is not promised: the one that remembers its positions usually does.)
    assert.ok(monitor.refused - refusedBefore + refusedThere > 0, "some insert was refused because the other process took its positions");
  });

  it("fails sends waiting for a batch fast and retryably while the database is frozen, and stores each once on retry", { skip: embedded ? false : "needs the embedded database" }, async () => {
    const conversationId = await newConversation();
    const drafts = Array.from({ length: 6 }, (_, i) => draft(conversationId, `outage ${i}`));
    // Positions remembered and connections open: the stalled batch's insert itself reaches the frozen database.
    await sendAll([draft(conversationId, "before")]);
    process.kill(database.pid!, "SIGSTOP");
    let outcomes: PromiseSettledResult<SentMessage>[];
    let gaveUpAfter = Infinity;
    try {
      const stalled = send(drafts[0]!);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Behind the stalled batch of their conversation: once the database is known not to
      // answer (here: reported), they must give up at once instead of waiting it out (~2 s).
      const waiting = Promise.allSettled(drafts.slice(1).map((d) => send(d)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reportedAt = Date.now();
      lib.db.reportDbUnavailable(new Error("test: the database is frozen"));
      const settled = await waiting;
      gaveUpAfter = Date.now() - reportedAt;
      // The stalled batch itself fails when its insert times out (~2 s), as an outage too.
      outcomes = [...settled, ...(await Promise.allSettled([stalled]))];
    } finally {
      process.kill(database.pid!, "SIGCONT");
    }
    assert.ok(gaveUpAfter < 500, `the waiting sends gave up ${gaveUpAfter} ms after the report`);
    for (const outcome of outcomes.slice(0, -1)) {
      assert.equal(outcome.status, "rejected");
      const error = (outcome as PromiseRejectedResult).reason as unknown;
      assert.ok(error instanceof AppError && error.code === "UNAVAILABLE" && error.retryable, String(error));
    }
    const last = outcomes.at(-1)!;
    assert.equal(last.status, "rejected", "the stalled insert failed");
    const stalledError = toAppError((last as PromiseRejectedResult).reason);
    assert.ok(stalledError.code === "UNAVAILABLE" && stalledError.retryable, `the stalled send is told ${stalledError.code}: ${stalledError.message}`);
    for (let i = 0; i < 50 && !(await lib.db.pingDb()); i += 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const retried = await sendAll(drafts);
    const docs = await stored(conversationId);
    assert.equal(docs.length, drafts.length + 1, "each message stored once");
    assertConsecutive(docs);
    assert.deepEqual(retried.map((r) => r.message.text), drafts.map((d) => d.text));
  });

  type Ack = { id: string; seq: number; version: number; text: string };

  /** Starts the other process; resolves once it is connected, with `go` to start its sends and their acks. */
  type Report = { acks: Ack[]; refused: number };
  async function runOtherProcess(job: { conversationId: string; senderId: string; prefix: string; count: number; everyMs: number }): Promise<{ go: () => void; acks: Promise<Report> }> {
    const script = path.join(import.meta.dirname, "../support/append-process.ts");
    const env = { ...process.env, MONGODB_URI: database.uri, MONGODB_DB: dbName, MESSAGE_WRITE_BATCH_MS: WINDOW_MS, APPEND_JOB: JSON.stringify(job) };
    const proc = spawn(process.execPath, ["--import", "tsx", script], { env, stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    let markReady = () => undefined as void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith("ready\n")) markReady();
    });
    const acks = new Promise<Report>((resolve, reject) => {
      proc.on("error", reject);
      proc.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").at(-1)!) as Report) : reject(new Error(`other process exited ${code}: ${out}`))));
    });
    await Promise.race([ready, acks]);
    return { go: () => proc.stdin.end("go\n"), acks };
  }
});
