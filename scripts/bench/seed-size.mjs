// Seeds one size of the data-size population (size-population.mjs) into a database of its own,
// through the driver and in Parley's shapes (lib/db/*.ts): users, conversations with their
// lastMessage, memberships under the derived _id with their watermarks, and messages with seq,
// version, senderName, clientMsgId, replies, mentions, reactions, edits, deletions and pins.
// Then Parley's own applyIndexes (lib/db/indexes.ts, through tsx) builds the indexes.
//
// Everything is inserted before the indexes exist, then they are built once: measured on
// SecantusDB 0.7.0b3 (2 cores), messages go in at ~10,000/s without indexes and ~1,200/s with
// Parley's three unique ones, and building the three over 200,000 messages takes about a minute,
// so this is 1.5 to 2 times faster than inserting into indexed collections. Batches of 10,000:
// ten times the usual 1,000 gains ~25 % (fewer round trips); they go one at a time, since the
// server's Python core writes one at a time anyway.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { MongoClient, ObjectId } from "mongodb";
import { root } from "../processes.mjs";
import { membershipId } from "./seed.mjs";
import { prng } from "./size-population.mjs";

const BATCH = 10_000;
export const WORDS = "the a we it is on for this that with meeting deploy review ticket lunch today tomorrow ok thanks sure draft build test release call later done fixed broken looks good can you check please again now soon".split(" ");
/**
 * A word said nowhere else, for search's rare-word figure: in every 1,000th message of the
 * 20,000-message conversation and the 20th of every fourth small group (30 messages, the same at
 * both sizes), chosen by position, so the generators' sequences are as they were.
 */
export const RARE_WORD = "quokka";
const rareAt = (c, i) => (c.fixed === "big" && i % 1000 === 500) || (c.fixed === "small" && c.index % 4 === 0 && i === 20);
const EMOJI = ["👍", "❤️", "😂", "🎉", "👀"];
// As lib/chat/dto.ts previewOf and lib/schemas/previews.ts DELETED_PREVIEW.
const PREVIEW_MAX = 120;
const DELETED_PREVIEW = "This message was deleted";
const previewOf = (text) => {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > PREVIEW_MAX ? `${oneLine.slice(0, PREVIEW_MAX - 1)}…` : oneLine;
};

/**
 * Seeds size `key` of `plan` into `dbName`. Returns what was stored, the time each part took,
 * and per conversation its last { seq, version } (the figures read history and sync from them).
 */
export async function seedSize({ uri, dbName, plan, key, now = Date.now() }) {
  const client = new MongoClient(uri, { appName: "parley-bench" });
  await client.connect();
  const started = performance.now();
  try {
    const db = client.db(dbName);
    const users = plan.users.map((u, i) => ({
      _id: u.id,
      name: u.name,
      email: `size-${i}@bench.invalid`,
      // Nobody signs in with a password: the bench mints session cookies and realtime tokens.
      passwordHash: "bench-no-password",
      createdAt: new Date(now - 150 * 24 * 3600 * 1000),
      lastSeenAt: null,
      sessionEpoch: 0,
    }));
    await insertAll(db.collection("users"), users);

    const positions = new Map();
    const conversations = [];
    const memberships = [];
    const buffer = [];
    let messages = 0;
    const flush = async (all) => {
      while (buffer.length >= (all ? 1 : BATCH)) {
        const batch = buffer.splice(0, BATCH);
        await db.collection("messages").insertMany(batch, { ordered: false });
        messages += batch.length;
      }
    };
    for (const c of plan.conversations) {
      const generated = generateMessages({ plan, conversation: c, count: c.counts[key], now });
      buffer.push(...generated.docs);
      await flush(false);
      const last = generated.docs.at(-1);
      positions.set(c.id.toHexString(), { seq: generated.docs.length, version: generated.version });
      conversations.push(conversationDoc(plan, c, last, generated.version));
      memberships.push(...membershipDocs(plan, c, generated));
    }
    await flush(true);
    await insertAll(db.collection("conversations"), conversations);
    await insertAll(db.collection("memberships"), memberships);
    const seededMs = performance.now() - started;

    const indexStarted = performance.now();
    await applyParleyIndexes(uri, dbName);
    const indexMs = performance.now() - indexStarted;
    const search = await buildSearchIndex(uri, dbName);
    const counts = { users: users.length, conversations: conversations.length, memberships: memberships.length, messages };
    return { counts, seededMs, indexMs, search, positions };
  } finally {
    await client.close();
  }
}

async function insertAll(collection, docs) {
  for (let i = 0; i < docs.length; i += BATCH) await collection.insertMany(docs.slice(i, i + BATCH), { ordered: false });
}

/** Parley's indexes, built by Parley's own code; no operation timeout, unlike Parley's pool (2 s). */
async function applyParleyIndexes(uri, dbName) {
  const script = path.join(import.meta.dirname, "apply-indexes.ts");
  await promisify(execFile)(process.execPath, ["--import", "tsx", script, uri, dbName], { cwd: root, timeout: 10 * 60_000 });
}

/**
 * The search index, built by Parley's own rebuild command (scripts/search-rebuild.ts, its indexer)
 * into the indexed collection: building the indexes afterwards measured no faster on SecantusDB
 * (lib/db/search.ts clearSearchIndex). Returns { looked, indexed, postings, ms }.
 */
async function buildSearchIndex(uri, dbName) {
  const script = path.join(root, "scripts/search-rebuild.ts");
  const env = { ...process.env, MONGODB_URI: uri, MONGODB_DB: dbName, SEARCH_INDEX: "on" };
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script], { cwd: root, env, timeout: 40 * 60_000 });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

/**
 * One conversation's messages, oldest first, from its own seeded generator (so the conversations
 * the phase measures come out the same at both sizes). About 6 % of messages are changed later
 * (edited, reacted to, pinned, deleted), each change taking the conversation's next version as
 * Parley's writers do (lib/chat/sequencer.ts): so `version` runs ahead of `seq`.
 */
function generateMessages({ plan, conversation: c, count, now }) {
  const random = prng(1000 + c.index);
  const pick = (n) => Math.floor(random() * n);
  const start = c.createdAt.getTime();
  const end = now - 60_000 - random() * 3600_000;
  const docs = [];
  const lastOwn = new Map();
  let version = 0;
  for (let i = 0; i < count; i++) {
    const k = pick(c.members.length);
    const sender = plan.users[c.members[k]];
    const words = Array.from({ length: 3 + pick(28) }, () => WORDS[pick(WORDS.length)]);
    const createdAt = new Date(start + ((end - start) * (i + 1)) / (count + 1));
    const doc = {
      _id: objectIdAt(createdAt),
      conversationId: c.id,
      seq: i + 1,
      version: ++version,
      senderId: sender.id,
      senderName: sender.name,
      clientMsgId: randomUUID(),
      kind: "text",
      text: rareAt(c, i) ? [...words, RARE_WORD].join(" ") : words.join(" "),
      replyTo: i > 0 && random() < 0.05 ? docs[Math.max(0, i - 1 - pick(30))]._id : null,
      mentions: c.kind === "group" && random() < 0.03 ? [plan.users[c.members[pick(c.members.length)]].id] : [],
      reactions: [],
      hiddenFor: [],
      createdAt,
      editedAt: null,
      deletedAt: null,
    };
    docs.push(doc);
    lastOwn.set(k, i + 1);
    if (random() < 0.06) {
      // A deleted message takes no further change, and then no version: the highest version stays one a message has.
      const target = docs[Math.max(0, i - pick(50))];
      if (!target.deletedAt) change(target, ++version, { random, pick, plan, c });
    }
  }
  return { docs, version, lastOwn };
}

/** Applies one later change to a message, at `version`, in the shape lib/chat/message-changes.ts writes it. */
function change(doc, version, { random, pick, plan, c }) {
  const at = new Date(doc.createdAt.getTime() + 30_000);
  const r = random();
  const who = plan.users[c.members[pick(c.members.length)]].id;
  if (r < 0.45) Object.assign(doc, { text: `${doc.text} (edited)`, editedAt: at });
  else if (r < 0.8) doc.reactions.push({ emoji: EMOJI[pick(EMOJI.length)], userId: who });
  else if (r < 0.9) Object.assign(doc, { pinnedAt: at, pinnedBy: who });
  else Object.assign(doc, { text: "", deletedAt: at, reactions: [], pinnedAt: null, pinnedBy: null });
  doc.version = version;
}

function conversationDoc(plan, c, last, version) {
  const creator = plan.users[c.members[0]].id;
  return {
    _id: c.id,
    kind: c.kind,
    key: c.key,
    name: c.name,
    createdBy: creator,
    createdAt: c.createdAt,
    // Consistent with the messages: the newest one, previewed as lib/chat/append.ts does (and as
    // message-changes.ts rewrites it when that message is edited or deleted).
    lastMessage: last
      ? { seq: last.seq, kind: last.kind, senderId: last.senderId, senderName: last.senderName, preview: last.deletedAt ? DELETED_PREVIEW : previewOf(last.text), createdAt: last.createdAt }
      : null,
    lastActivityAt: last ? last.createdAt : c.createdAt,
    // The version hint the data layer keeps on a conversation (raised with each change, never
    // above the highest version a message has): here exactly that highest version.
    version,
  };
}

/** Each member's watermarks: read up to `behindBy` messages short of the end, never below their own last message (sending reads). */
function membershipDocs(plan, c, { docs, lastOwn }) {
  const lastSeq = docs.length;
  return c.members.map((m, k) => {
    const read = Math.min(lastSeq, Math.max(lastOwn.get(k) ?? 0, lastSeq - c.behindBy[k]));
    return {
      _id: membershipId(c.id, plan.users[m].id),
      conversationId: c.id,
      userId: plan.users[m].id,
      role: c.kind === "group" && k === 0 ? "owner" : "member",
      joinedAt: c.createdAt,
      lastDeliveredSeq: Math.max(read, lastSeq - Math.floor(c.behindBy[k] / 2)),
      lastReadSeq: read,
      muted: c.muted[k],
    };
  });
}

let counter = 0;
/** An ObjectId whose timestamp is the message's time, as if it had been made then. */
function objectIdAt(date) {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(date.getTime() / 1000), 0);
  bytes.writeUInt32BE(process.pid, 4);
  bytes.writeUInt32BE((counter = (counter + 1) >>> 0), 8);
  return new ObjectId(bytes);
}
