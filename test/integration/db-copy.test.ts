// `npm run db:copy` between two real embedded servers: every collection and index arrives
// byte for byte, a second run copies nothing, a run killed with SIGKILL mid-copy is completed by
// the next one, a target holding other data is refused (and written only with --force), and an
// unreachable server fails fast.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { Binary, BSON, Decimal128, Double, GridFSBucket, Long, MongoClient, ObjectId, type Db } from "mongodb";
import { applyIndexes } from "../../lib/db/indexes";
import { membershipId } from "../../lib/db/memberships";
import { resolveDatabase } from "../../scripts/database.mjs";
import { freePort, root } from "../../scripts/processes.mjs";

const SCRIPT = path.join(root, "scripts/db-copy.mjs");
const USERS = 40;
const CONVERSATIONS = 30;
const MESSAGES = 3_000;
const { EJSON } = BSON;
const EXACT = { promoteValues: false, promoteLongs: false, bsonRegExp: true } as const;

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number };

/** Runs the command; `onLine` sees each stderr line (progress) and may kill the child. */
function copy(args: string[], onLine?: (line: string, kill: () => void) => void): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  createInterface({ input: child.stderr }).on("line", (line) => {
    stderr += `${line}\n`;
    onLine?.(line, () => child.kill("SIGKILL"));
  });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })));
}

const copiedCount = (run: Run) => Number(/db:copy: ([\d,]+) documents copied/.exec(run.stdout + run.stderr)?.[1]?.replaceAll(",", "") ?? NaN);

async function seed(db: Db): Promise<void> {
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);
  const users = Array.from({ length: USERS }, (_, i) => ({
    _id: new ObjectId(),
    name: `User ${i}`,
    email: `user${i}@example.test`,
    passwordHash: `$argon2id$v=19$m=65536,t=3,p=4$${i}`,
    createdAt: at(i),
    lastSeenAt: i % 3 === 0 ? null : at(1_000 + i),
    ...(i % 4 === 0 && { sessionEpoch: i, settings: { readReceipts: false } }),
  }));
  // Values a copy through plain JavaScript numbers or Buffers would change.
  Object.assign(users[0]!, { storageBytes: Long.fromString("9007199254740993"), credit: Decimal128.fromString("12.50"), ratio: new Double(2), avatarHash: new Binary(randomBytes(16), 5) });
  await db.collection("users").insertMany(users);

  const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => {
    const members = [users[i % USERS]!, users[(i + 1) % USERS]!, ...(i % 3 === 0 ? [users[(i + 7) % USERS]!, users[(i + 13) % USERS]!] : [])];
    return { _id: new ObjectId(), members, kind: members.length === 2 ? "direct" : "group", key: `conv:${i}`, name: members.length === 2 ? null : `Group ${i}`, createdBy: members[0]!._id, createdAt: at(i) };
  });
  const messages = Array.from({ length: MESSAGES }, (_, i) => {
    const conversation = conversations[i % CONVERSATIONS]!;
    const sender = conversation.members[i % conversation.members.length]!;
    return {
      _id: new ObjectId(),
      conversationId: conversation._id,
      seq: Math.floor(i / CONVERSATIONS) + 1,
      version: Math.floor(i / CONVERSATIONS) + 1,
      senderId: sender._id,
      senderName: sender.name,
      clientMsgId: `c-${i}`,
      kind: "text",
      text: `Message ${i}: ${"lorem ipsum ".repeat(10)}`,
      replyTo: null,
      mentions: i % 5 === 0 ? [conversation.members[0]!._id] : [],
      reactions: i % 7 === 0 ? [{ emoji: "👍", userId: sender._id }, { emoji: "🎉", userId: conversation.members[0]!._id }] : [],
      hiddenFor: [],
      createdAt: at(i),
      editedAt: i % 11 === 0 ? at(i + 1) : null,
      deletedAt: null,
      ...(i === 3 && { attachmentSize: Long.fromNumber(5_000_000_000), ratings: [[new Double(1), 2], [Decimal128.fromString("0.1")]] }),
    };
  });
  for (let i = 0; i < messages.length; i += 1_000) await db.collection("messages").insertMany(messages.slice(i, i + 1_000));
  await db.collection("conversations").insertMany(
    conversations.map(({ _id, kind, key, name, createdBy, createdAt }) => {
      const last = messages.findLast((m) => m.conversationId.equals(_id))!;
      const lastMessage = { id: last._id, seq: last.seq, senderId: last.senderId, senderName: last.senderName, preview: last.text.slice(0, 40), createdAt: last.createdAt };
      return { _id, kind, key, name, createdBy, createdAt, lastMessage, lastActivityAt: last.createdAt };
    }),
  );
  await db.collection("memberships").insertMany(
    conversations.flatMap((c) => c.members.map((u, j) => ({ _id: membershipId(c._id, u._id), conversationId: c._id, userId: u._id, role: j === 0 ? "owner" : "member", joinedAt: c.createdAt, lastDeliveredSeq: 3, lastReadSeq: 2, muted: false }))),
  );
  await applyIndexes(db);
  // A collection Parley does not have yet, with index options the copy must carry over.
  await db.collection("tokens").insertMany(users.slice(0, 5).map((u, i) => ({ userId: u._id, hash: randomBytes(8).toString("hex"), label: `Bot ${i}`, revoked: i === 4, createdAt: new Date() })));
  await db.collection("tokens").createIndexes([
    { key: { createdAt: 1 }, name: "ttl", expireAfterSeconds: 86_400 },
    { key: { hash: 1 }, name: "hash_live_unique", unique: true, partialFilterExpression: { revoked: false } },
    { key: { label: 1 }, name: "label_ci", collation: { locale: "en", strength: 2 } },
    { key: { lastUsedAt: -1 }, name: "lastUsedAt_sparse", sparse: true },
  ]);
  const upload = new GridFSBucket(db).openUploadStream("photo.jpg", { metadata: { ownerId: users[1]!._id } });
  await new Promise((resolve, reject) => upload.on("finish", resolve).on("error", reject).end(randomBytes(600_000)));
  await db.createCollection("recent_messages", { viewOn: "messages", pipeline: [{ $sort: { _id: -1 } }, { $limit: 10 }] });
}

type Snapshot = Map<string, { docs: Buffer[]; indexes: string }>;

/** Every collection's documents as raw BSON in _id order, and its index specs (`v` and `ns` aside), type-exact. */
async function snapshot(db: Db): Promise<Snapshot> {
  const infos = await db.listCollections().toArray();
  const names = infos.filter((c) => c.type === "collection" && c.name !== "parley_copy").map((c) => c.name).sort();
  const result: Snapshot = new Map();
  for (const name of names) {
    const docs = await db.collection(name).find({}, { raw: true, sort: { _id: 1 }, hint: { _id: 1 } }).toArray();
    const indexes = (await db.collection(name).listIndexes(EXACT).toArray())
      .map((index) => Object.fromEntries(Object.entries(index).filter(([option]) => option !== "v" && option !== "ns")))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    result.set(name, { docs: docs as unknown as Buffer[], indexes: EJSON.stringify(indexes, { relaxed: false }) });
  }
  return result;
}

const show = (doc: Buffer) => EJSON.stringify(BSON.deserialize(doc, EXACT), { relaxed: false });

function assertSameData(actual: Snapshot, expected: Snapshot, except: string[] = []): void {
  assert.deepEqual([...actual.keys()].filter((n) => !except.includes(n)), [...expected.keys()]);
  for (const [name, want] of expected) {
    const got = actual.get(name)!;
    assert.equal(got.indexes, want.indexes, `${name}: indexes`);
    assert.equal(got.docs.length, want.docs.length, `${name}: document count`);
    const i = want.docs.findIndex((doc, j) => !doc.equals(got.docs[j]!));
    if (i >= 0) assert.fail(`${name}: document ${i} differs:\n  source ${show(want.docs[i]!)}\n  target ${show(got.docs[i]!)}`);
  }
}

describe("npm run db:copy", { skip: process.env.MONGODB_URI ? "needs two servers of its own: runs on the embedded database only (MONGODB_URI is set)" : false, timeout: 120_000 }, () => {
  const dataDirs: string[] = [];
  let servers: Awaited<ReturnType<typeof resolveDatabase>>[] = [];
  let clients: MongoClient[] = [];
  let from: string;
  let targetUri: (db: string) => string;
  let target: MongoClient;
  let expected: Snapshot;
  let sourceTotal: number;

  before(async () => {
    for (const name of ["source", "target"]) dataDirs.push(mkdtempSync(path.join(tmpdir(), `parley-test-db-copy-${name}-`)));
    servers = await Promise.all(dataDirs.map((dataDir) => resolveDatabase({ dataDir })));
    clients = servers.map((server) => new MongoClient(server.uri));
    target = clients[1]!;
    from = `${servers[0]!.uri}parley`;
    targetUri = (db) => `${servers[1]!.uri}${db}`;
    await seed(clients[0]!.db("parley"));
    expected = await snapshot(clients[0]!.db("parley"));
    sourceTotal = [...expected.values()].reduce((sum, c) => sum + c.docs.length, 0);
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.stop()));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it("copies every collection (not the view) and every index, type-exact; a second run copies nothing", async (t) => {
    assert.deepEqual([...expected.keys()], ["accessTokens", "calls", "conversations", "files", "fs.chunks", "fs.files", "memberships", "messages", "pushSubscriptions", "searchIndex", "tokens", "users"]);
    const first = await copy(["--from", from, "--to", targetUri("copy")]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(copiedCount(first), sourceTotal);
    assert.match(first.stderr, /skipping recent_messages: a view/);
    assert.match(first.stderr, /^messages +[\d,]+\/3,000 \d+% [\d,]+ docs\/s ETA \S+$/m, "plain progress lines when not a terminal");
    assertSameData(await snapshot(target.db("copy")), expected);
    t.diagnostic(`copied ${sourceTotal} documents in ${first.ms} ms`);

    const second = await copy(["--from", from, "--to", targetUri("copy")]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(copiedCount(second), 0);
    // The report counts the indexes besides _id: Parley's own (lib/db/messages.ts), however many there are.
    const messageIndexes = (await clients[0]!.db("parley").collection("messages").listIndexes().toArray()).length - 1;
    assert.match(second.stdout, new RegExp(`^messages +3,000 +3,000 +0 +${messageIndexes} .* ok$`, "m"));
    assertSameData(await snapshot(target.db("copy")), expected);
    const marker = await target.db("copy").collection("parley_copy").findOne({});
    assert.ok(marker?.finishedAt instanceof Date && marker.runs === 2, "the marker records the finished copy");
  });

  it("completes a copy killed with SIGKILL in the middle, copying nothing twice", async (t) => {
    const killed = await copy(["--from", from, "--to", targetUri("resumed"), "--batch-size", "25"], (line, kill) => {
      const [, done] = /^messages +([\d,]+)\//.exec(line) ?? [];
      if (done && Number(done.replaceAll(",", "")) > 0) kill();
    });
    assert.equal(killed.signal, "SIGKILL", `killed mid-copy, not finished: ${killed.stderr}`);
    const db = target.db("resumed");
    const present = (await Promise.all([...expected.keys()].map((name) => db.collection(name).countDocuments()))).reduce((a, b) => a + b, 0);
    const messages = await db.collection("messages").countDocuments();
    assert.ok(messages > 0 && messages < MESSAGES, `part of the messages were copied (${messages})`);
    t.diagnostic(`killed with ${present} of ${sourceTotal} documents in the target (${messages} of ${MESSAGES} messages)`);

    const resumed = await copy(["--from", from, "--to", targetUri("resumed")]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /continuing the copy/);
    assert.equal(copiedCount(resumed), sourceTotal - present, "only what was missing");
    assertSameData(await snapshot(db), expected);
  });

  it("two runs at once into one target share the work: each document is copied once", async (t) => {
    const runs = await Promise.all([1, 2].map(() => copy(["--from", from, "--to", targetUri("twice"), "--batch-size", "200"])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    t.diagnostic(`copied ${runs.map(copiedCount).join(" + ")}`);
    assert.equal(runs.map(copiedCount).reduce((a, b) => a + b), sourceTotal);
    assertSameData(await snapshot(target.db("twice")), expected);
  });

  it("refuses a target holding other data without writing to it; --force copies alongside", async () => {
    const db = target.db("occupied");
    await db.collection("legacy_notes").insertOne({ _id: new ObjectId(), note: "not Parley's" });
    const refused = await copy(["--from", from, "--to", targetUri("occupied")]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already holds data \(legacy_notes \(1\)\).*--force/);
    assert.deepEqual((await db.listCollections().toArray()).map((c) => c.name), ["legacy_notes"], "nothing written");

    const forced = await copy(["--from", from, "--to", targetUri("occupied"), "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /also holds legacy_notes/);
    assertSameData(await snapshot(db), expected, ["legacy_notes"]);
    assert.equal(await db.collection("legacy_notes").countDocuments(), 1);
  });

  it("with --force merges into a collection holding documents by _id, and reports the counts that then differ", async () => {
    const db = target.db("merged");
    const [sourceUser] = await clients[0]!.db("parley").collection("users").find({}, { ...EXACT, sort: { _id: 1 }, limit: 1 }).toArray();
    await db.collection("users").insertMany([sourceUser!, { _id: new ObjectId(), name: "Someone else", email: "else@example.test" }]);
    const run = await copy(["--from", from, "--to", targetUri("merged"), "--force"]);
    assert.equal(run.code, 1, "the users counts differ");
    assert.match(run.stderr, /counts differ: users \(source 40, target 41; the target held 2 before this copy, --force\)/);
    assert.equal(copiedCount(run), sourceTotal - 1, "the user already there is not copied again");
    const users = await db.collection("users").find({}, { raw: true, sort: { _id: 1 } }).toArray();
    assert.equal(users.length, USERS + 1);
    const want = expected.get("users")!.docs;
    assert.ok(want.every((doc) => users.some((got) => (got as unknown as Buffer).equals(doc))), "every source user is there as it is in the source");
  });

  it("fails fast with one clear line on an unreachable target, and on bad arguments", async () => {
    const unreachable = await copy(["--from", from, "--to", `mongodb://127.0.0.1:${await freePort()}/parley`]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^db:copy: cannot connect to --to mongodb:\/\/127\.0\.0\.1:\d+\/parley: .*ECONNREFUSED/m);
    assert.ok(unreachable.ms < 15_000, `took ${unreachable.ms} ms`);
    const missing = await copy(["--from", from]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--to <uri> is required/);
    const help = spawnSync("npm", ["run", "--silent", "db:copy", "--", "--help"], { cwd: root, encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: npm run db:copy -- --from <uri> --to <uri>/);
  });
});
