// What Parley acknowledges survives a crash of the database: messages sent through the domain
// core (batched, as in production), a conversation and its memberships, then kill -9 of the
// embedded database the moment the last send is acknowledged; restarted on the same data, every
// acknowledged message is there, once, in order.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { MongoClient, ObjectId } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";
import { startEmbeddedDb } from "../../scripts/embedded-db/launch.mjs";

describe("a database crash", { timeout: 120_000, skip: process.env.MONGODB_URI ? "needs the embedded database, which it kills" : false }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-crash-"));
  const dbName = `parley_crash_${randomUUID().slice(0, 8)}`;
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("loses no acknowledged message, conversation or membership", async () => {
    const database = await resolveDatabase({ dataDir });
    Object.assign(process.env, { MONGODB_URI: database.uri, MONGODB_DB: dbName, MESSAGE_WRITE_BATCH_MS: "2" });
    const chat = await import("../../lib/chat");
    const register = (name: string) => chat.registerUser({ input: { name, email: `${name.toLowerCase()}.${randomUUID().slice(0, 6)}@example.test`, password: "long enough password" } });
    const [ana, ben] = [await register("Ana"), await register("Ben")];
    const conversationId = (await chat.createConversation({ userId: ana.id, input: { kind: "group", name: "Crash", memberIds: [ben.id, (await register("Cy")).id] } })).conversation.id;
    const acked: number[] = [];
    // Bursts of concurrent sends, so that batches of several messages are what gets journalled.
    for (let round = 0; round < 10; round += 1) {
      const sent = await Promise.all(
        Array.from({ length: 20 }, (_, i) => chat.sendMessage({ userId: i % 2 ? ana.id : ben.id, input: { conversationId, clientMsgId: randomUUID(), text: `m ${round} ${i}` } })),
      );
      acked.push(...sent.map((s) => s.message.seq));
    }
    process.kill(database.pid!, "SIGKILL");
    await database.exited;
    const { closeDb } = await import("../../lib/db/client");
    await closeDb().catch(() => undefined);

    const again = await startEmbeddedDb({ dataDir });
    const client = new MongoClient(again.uri, { serverSelectionTimeoutMS: 5_000 });
    try {
      const db = client.db(dbName);
      const stored = await db.collection("messages").find({ conversationId: new ObjectId(conversationId) }, { projection: { seq: 1 } }).toArray();
      const seqs = stored.map((m) => m.seq as number).sort((a, b) => a - b);
      assert.deepEqual(seqs, [...new Set([...acked, ...seqs])].sort((a, b) => a - b), "every acknowledged message is stored");
      assert.equal(new Set(seqs).size, seqs.length, "each once");
      assert.equal(acked.length, 200);
      assert.equal(await db.collection("memberships").countDocuments({ conversationId: new ObjectId(conversationId) }), 3);
      assert.equal(await db.collection("users").countDocuments(), 3);
    } finally {
      await client.close();
      await again.stop();
    }
  });
});
