// Memberships are stored under a derived _id and updated by one atomic conditional update each,
// and memberships stored before that, with random _ids, still work the same.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ObjectId } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";

describe("memberships by derived _id", { timeout: 60_000 }, () => {
  let database: Awaited<ReturnType<typeof resolveDatabase>>;
  let dataDir: string;
  let m: typeof import("../../lib/db/memberships");
  let db: typeof import("../../lib/db/client");

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-memberships-"));
    database = await resolveDatabase({ dataDir });
    Object.assign(process.env, { MONGODB_URI: database.uri, MONGODB_DB: `parley_memberships_${randomUUID().slice(0, 8)}` });
    m = await import("../../lib/db/memberships");
    db = await import("../../lib/db/client");
  });

  after(async () => {
    await db?.closeDb();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fresh = () => ({ conversationId: new ObjectId(), userId: new ObjectId() });
  const doc = (key: { conversationId: ObjectId; userId: ObjectId }) => ({ ...key, role: "member" as const, joinedAt: new Date(), lastDeliveredSeq: 0, lastReadSeq: 0, muted: false });

  it("derives one stable _id per (conversation, user)", () => {
    const { conversationId, userId } = fresh();
    assert.ok(m.membershipId(conversationId, userId).equals(m.membershipId(conversationId, userId)));
    assert.ok(!m.membershipId(conversationId, userId).equals(m.membershipId(userId, conversationId)), "order matters");
  });

  it("stores new memberships under it, once", async () => {
    const key = fresh();
    assert.equal(await m.insertMembership(doc(key)), true);
    assert.equal(await m.insertMembership(doc(key)), false, "a second add finds it there");
    await m.insertMemberships([doc(key), doc(fresh())]);
    const stored = await m.getMembership(key);
    assert.ok(stored?._id.equals(m.membershipId(key.conversationId, key.userId)));
    assert.equal((await m.getMembershipsByConversations({ conversationIds: [key.conversationId] })).length, 1);
  });

  for (const kind of ["derived", "older random"] as const) {
    it(`updates a membership with a ${kind} _id: watermarks only rise, flags report changes, delete ends it`, async () => {
      const key = fresh();
      if (kind === "derived") await m.insertMembership(doc(key));
      else await (await db.getDb()).collection("memberships").insertOne({ _id: new ObjectId(), ...doc(key) });
      assert.equal(await m.raiseDeliveredSeq({ ...key, seq: 3 }), true);
      assert.equal(await m.raiseReadSeq({ ...key, seq: 5 }), true);
      assert.equal(await m.raiseReadSeq({ ...key, seq: 4 }), false, "never lowered");
      assert.equal(await m.raiseDeliveredSeq({ ...key, seq: 5 }), false, "read at 5 already counts as delivered");
      assert.equal(await m.setMuted({ ...key, muted: true }), true);
      assert.equal(await m.setMuted({ ...key, muted: true }), false);
      assert.equal(await m.setMarkedUnread({ ...key, markedUnread: false }), false, "absent is not marked");
      await m.setMembershipRole({ ...key, role: "admin" });
      const stored = await m.getMembership(key);
      assert.deepEqual([stored?.lastReadSeq, stored?.lastDeliveredSeq, stored?.muted, stored?.role], [5, 5, true, "admin"]);
      assert.equal(await m.deleteMembership(key), true);
      assert.equal(await m.deleteMembership(key), false);
      assert.equal(await m.getMembership(key), null);
      assert.equal(await m.raiseReadSeq({ ...key, seq: 9 }), false, "nothing to raise once it is gone");
    });
  }

  it("decides concurrent updates atomically: of 20 raises to one seq exactly one moves it, and the highest of many wins", async () => {
    const key = fresh();
    await m.insertMembership(doc(key));
    const same = await Promise.all(Array.from({ length: 20 }, () => m.raiseReadSeq({ ...key, seq: 7 })));
    assert.equal(same.filter(Boolean).length, 1, "one raise reports the move");
    const mixed = await Promise.all(Array.from({ length: 20 }, (_, i) => m.raiseDeliveredSeq({ ...key, seq: 8 + ((i * 7) % 20) })));
    assert.ok(mixed.some(Boolean));
    const stored = await m.getMembership(key);
    assert.deepEqual([stored?.lastReadSeq, stored?.lastDeliveredSeq], [7, 27], "never lowered by a slower, smaller raise");
    const muted = await Promise.all(Array.from({ length: 10 }, () => m.setMuted({ ...key, muted: true })));
    assert.equal(muted.filter(Boolean).length, 1, "one of 10 concurrent mutes changed it");
  });
});
