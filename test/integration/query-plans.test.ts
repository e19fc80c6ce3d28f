// Every query Parley sends is one the database answers from an index: the domain core runs a
// day of chat in-process against the real database with the driver's command monitoring on, and
// each read it sent (find, aggregate, count) is explained: no plan may scan a collection. Writes
// either name an `_id` (a point lookup on every MongoDB-compatible server) or pass the same test.
// This is what keeps the cost of a request following its answer rather than the database's size.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Db, Document } from "mongodb";
import { resolveDatabase } from "../../scripts/database.mjs";

type Chat = typeof import("../../lib/chat");
type Sent = { command: string; collection: string; filter: Document; pipeline?: Document[] };

// Reads allowed to scan, each with its reason.
const ALLOWED_SCANS: { collection: string; why: string; matches: (filter: Document) => boolean }[] = [
  {
    collection: "users",
    why: "people search: a case-insensitive match anywhere in a name has no index on any server; it reads the users, never messages",
    matches: (filter) => JSON.stringify(filter).includes("$regex"),
  },
  {
    collection: "conversations",
    why: "rebuilding the search index (npm run search:rebuild) marks every conversation behind: once, by an operator, never on a request",
    matches: (filter) => Object.keys(filter).length === 0,
  },
  {
    collection: "users",
    why: "sign-up: whether any account exists yet (the first becomes the server admin); findOne({}) reads at most one document",
    matches: (filter) => Object.keys(filter).length === 0,
  },
  {
    collection: "searchIndex",
    why: "whether the index is empty, once per database, when no process has marked since when it files pairs of words (lib/db/search.ts pairsFrom): findOne({}) reads at most one document",
    matches: (filter) => Object.keys(filter).length === 0,
  },
  {
    collection: "blobs.files",
    why: "the driver's GridFS, once per process before its first upload: findOne({}) to see whether the bucket is new and needs its indexes; it reads one document",
    matches: (filter) => Object.keys(filter).length === 0,
  },
];

/** The stage names of a plan, however deeply nested (find plans, aggregation cursors, $or branches). */
function stagesOf(plan: unknown, found: string[] = []): string[] {
  if (Array.isArray(plan)) plan.forEach((item) => stagesOf(item, found));
  else if (plan && typeof plan === "object") {
    for (const [key, value] of Object.entries(plan)) {
      if (key === "stage" && typeof value === "string") found.push(value);
      else if (key !== "rejectedPlans") stagesOf(value, found);
    }
  }
  return found;
}

async function explainRead(db: Db, sent: Sent): Promise<string[]> {
  const command =
    sent.command === "aggregate"
      ? { aggregate: sent.collection, pipeline: sent.pipeline, cursor: {} }
      : { find: sent.collection, filter: sent.filter };
  const explained = await db.command({ explain: command, verbosity: "queryPlanner" });
  return stagesOf(explained);
}

function record(event: { commandName: string; command: Document }): Sent[] {
  const c = event.command;
  switch (event.commandName) {
    case "find":
      return [{ command: "find", collection: c.find, filter: c.filter ?? {} }];
    case "count":
      return [{ command: "find", collection: c.count, filter: c.query ?? {} }];
    case "aggregate":
      return [{ command: "aggregate", collection: c.aggregate, filter: c.pipeline?.[0]?.$match ?? {}, pipeline: c.pipeline }];
    case "update":
      return (c.updates as { q: Document }[]).map((u) => ({ command: "update", collection: c.update, filter: u.q }));
    case "delete":
      return (c.deletes as { q: Document }[]).map((d) => ({ command: "delete", collection: c.delete, filter: d.q }));
    case "findAndModify":
      return [{ command: "findAndModify", collection: c.findAndModify, filter: c.query ?? {} }];
    default:
      return [];
  }
}

describe("query plans", { timeout: 120_000 }, () => {
  let chat: Chat;
  let db: Db;
  let stopDb: () => Promise<void>;
  let dataDir: string;
  const sent: Sent[] = [];

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "parley-test-plans-"));
    const database = await resolveDatabase({ dataDir });
    stopDb = database.stop;
    Object.assign(process.env, { MONGODB_URI: database.uri, MONGODB_DB: `parley_plans_${randomUUID().slice(0, 8)}` });
    chat = await import("../../lib/chat");
    const { getDb } = await import("../../lib/db/client");
    const { watchCommands } = await import("../support/command-monitor");
    await watchCommands({ started: (event) => sent.push(...record(event)) });
    db = await getDb();
  });

  after(async () => {
    const { closeDb } = await import("../../lib/db/client");
    await closeDb();
    await stopDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers every read of a day of chat from an index, and every write by _id or an index", async () => {
    const register = (name: string) => chat.registerUser({ input: { name, email: `${name.toLowerCase()}.${randomUUID().slice(0, 6)}@example.test`, password: "long enough password" } });
    const [ana, ben, cy, dee] = [await register("Ana"), await register("Ben"), await register("Cy"), await register("Dee")];
    const group = (await chat.createConversation({ userId: ana.id, input: { kind: "group", name: "Plans", memberIds: [ben.id, cy.id] } })).conversation.id;
    const dm = (await chat.createConversation({ userId: ben.id, input: { kind: "direct", userId: cy.id } })).conversation.id;
    const send = (userId: string, conversationId: string, text: string, extra: object = {}) =>
      chat.sendMessage({ userId, input: { conversationId, clientMsgId: randomUUID(), text, ...extra } });
    let last = await send(ana.id, group, "hello");
    for (let i = 0; i < 12; i += 1) last = await send(i % 2 ? ben.id : cy.id, i % 3 ? group : dm, `message ${i}`, i === 4 ? { mentions: [ana.id] } : {});
    const clientMsgId = randomUUID();
    await chat.sendMessage({ userId: ben.id, input: { conversationId: group, clientMsgId, text: "once" } });
    await chat.sendMessage({ userId: ben.id, input: { conversationId: group, clientMsgId, text: "once" } }); // a repeat
    const first = (await chat.listMessages({ userId: ana.id, input: { conversationId: group, limit: 50 } })).messages[0]!;
    await send(cy.id, group, "a reply", { replyTo: first.id });
    await chat.editMessage({ userId: ana.id, input: { messageId: first.id, text: "hello, edited" } });
    await chat.reactToMessage({ userId: ben.id, input: { messageId: first.id, emoji: "👍" } });
    await chat.pinMessage({ userId: cy.id, input: { messageId: first.id, pinned: true } });
    await chat.deleteMessage({ userId: ben.id, input: { messageId: last.message.id, for: "me" } });
    await chat.markDelivered({ userId: ana.id, input: { conversationId: group, seq: 5 } });
    await chat.markRead({ userId: ana.id, input: { conversationId: group, seq: 3 } });
    await chat.markRead({ userId: ana.id, input: { conversationId: group, seq: 999 } });
    await chat.markUnread({ userId: ana.id, input: { conversationId: group, unread: true } });
    await chat.muteConversation({ userId: cy.id, input: { conversationId: dm, muted: true } });
    await chat.listConversations({ userId: ana.id });
    await chat.listConversations({ userId: ben.id });
    await chat.getConversation({ userId: cy.id, input: { conversationId: group } });
    await chat.listMessages({ userId: ben.id, input: { conversationId: group, before: 6, limit: 3 } });
    await chat.syncMessages({ userId: cy.id, input: { conversationId: group, sinceVersion: 2 } });
    // A `before` far past the end is a page from the end, not an empty one.
    const beyond = await chat.listMessages({ userId: ben.id, input: { conversationId: group, before: 1_000_000, limit: 3 } });
    assert.deepEqual([beyond.messages.length, beyond.hasMore], [3, true]);
    // A window around a search result, then newer pages up to the end: bounded seq ranges too.
    const around = await chat.listMessages({ userId: ben.id, input: { conversationId: group, around: 4, limit: 4 } });
    assert.deepEqual([around.messages.map((m) => m.seq), around.hasMore, around.hasNewer], [[3, 4, 5, 6], true, true]);
    const newer = await chat.listMessages({ userId: ben.id, input: { conversationId: group, after: 6, limit: 100 } });
    assert.equal(newer.hasNewer, false);
    assert.ok(newer.messages.every((m, i) => m.seq === 7 + i), "an after page starts right after `after`, in order");
    // A call's life: placed, answered, connected, signalled, hung up (each by _id or the live-lines
    // index), a busy call, and every query of the sweep the socket servers run.
    const callDm = (await chat.createConversation({ userId: ana.id, input: { kind: "direct", userId: ben.id } })).conversation.id;
    const callId = randomUUID();
    const placed = await chat.inviteCall({ userId: ana.id, socketId: "s-ana", callerName: "Ana", input: { conversationId: callDm, callId, media: "video" } });
    const busy = await chat.inviteCall({ userId: cy.id, socketId: "s-cy", callerName: "Cy", input: { conversationId: dm, callId: randomUUID(), media: "audio" } }).catch(() => null);
    const answered = await chat.answerCall({ userId: ben.id, socketId: "s-ben", input: { callId, media: "audio" } });
    await chat.connectCall({ userId: ben.id, socketId: "s-ben", input: { callId, partyId: answered.partyId } });
    await chat.routeSignal({ userId: ben.id, socketId: "s-ben", input: { callId, partyId: answered.partyId, signal: { candidate: null } } });
    await chat.resumeCall({ userId: ana.id, socketId: "s-ana-2", input: { callId, partyId: placed.kind === "ringing" ? placed.partyId : "" } });
    const calls = await import("../../lib/db/calls");
    const now = new Date();
    await calls.setLeases([{ id: callId, role: "caller", socketId: "s-ana-2" }], new Date(now.getTime() + 5_000));
    await calls.ringingPast({ now });
    await calls.leasesPast({ now });
    await calls.unrecordedBefore({ before: now });
    await chat.hangupCall({ userId: ana.id, input: { callId, partyId: placed.kind === "ringing" ? placed.partyId : "" } });
    assert.equal(busy?.kind, "busy");
    // A file's life: uploaded (stored in GridFS), attached, read whole and by a range, the sweep, deleted with its message.
    const { uploadFile } = await import("../../lib/chat/uploads");
    const files = await import("../../lib/chat/files");
    const { blobStorage } = await import("../../lib/storage");
    const { png } = await import("../support/files");
    const body = async () => new Blob([new Uint8Array(await png(40, 30))]).stream();
    const image = await uploadFile({ userId: ana.id, name: "plan.png", body: await body(), declaredLength: null });
    await uploadFile({ userId: ana.id, name: "never sent.png", body: await body(), declaredLength: null });
    const withFile = await chat.sendMessage({ userId: ana.id, input: { conversationId: group, clientMsgId: randomUUID(), text: "", attachments: [image.id] } });
    const readable = await files.readableFile({ userId: ben.id, fileId: image.id, variant: "thumbnail" });
    for await (const chunk of (await blobStorage().open(readable.key, { start: 2, end: 20 }))!) assert.ok(chunk);
    await files.sweepUnattachedFiles({ now: new Date(Date.now() + 2 * 60 * 60 * 1000) });
    await chat.deleteMessage({ userId: ana.id, input: { messageId: withFile.message.id, for: "everyone" } });
    await chat.listConversationIds({ userId: ben.id });
    await chat.listContacts({ userId: ben.id, conversationIds: [group, dm] });
    // What connections set up together read at once (socket-server/middleware/setup-reads.ts, presence/tracker.ts).
    await chat.connectionStates({ userIds: [ana.id, ben.id, cy.id] });
    await chat.conversationIdsOf({ userIds: [ana.id, ben.id] });
    await chat.memberIdsOf({ conversationIds: [group, dm] });
    await chat.lastSeenOf({ userIds: [ana.id, cy.id] });
    await chat.recordLastSeen({ userId: ben.id, at: new Date() });
    await chat.renameConversation({ userId: ana.id, input: { conversationId: group, name: "Plans, renamed" } });
    await chat.addMember({ userId: ana.id, input: { conversationId: group, userId: dee.id } });
    await chat.setMemberRole({ userId: ana.id, input: { conversationId: group, userId: ben.id, role: "admin" } });
    await chat.removeMember({ userId: ana.id, input: { conversationId: group, userId: dee.id } });
    await chat.searchUsers({ userId: ana.id, input: { q: "Be" } });
    // A room's life: created, found in the directory (by activity, by size, by a name's prefix),
    // previewed, joined, changed, left by its owner (the hand-over), archived; and server roles.
    const room = (await chat.createRoom({ userId: ana.id, input: { name: "Plans Café", topic: "plans" } })).room.id;
    await chat.listDirectory({ userId: dee.id, input: {} });
    await chat.listDirectory({ userId: dee.id, input: { sort: "size" } });
    const found = await chat.listDirectory({ userId: dee.id, input: { q: "cafe pla" } });
    assert.deepEqual(found.map((r) => r.id), [room]);
    await chat.previewRoom({ userId: dee.id, input: { conversationId: room } });
    await chat.joinRoom({ userId: dee.id, input: { conversationId: room } });
    await chat.joinRoom({ userId: ben.id, input: { conversationId: room } });
    await chat.updateRoom({ userId: ana.id, input: { conversationId: room, topic: "new", name: "Plans room" } });
    await chat.leaveRoom({ userId: ana.id, input: { conversationId: room } });
    await chat.updateRoom({ userId: dee.id, input: { conversationId: room, archived: true } });
    await chat.getOwnRole({ userId: ana.id });
    await chat.setAdminRole({ userId: ana.id, input: { userId: ben.id, admin: true } });
    await chat.setAdminRole({ userId: ben.id, input: { userId: ana.id, admin: false } });
    await chat.updateSettings({ userId: cy.id, input: { readReceipts: false } });
    await chat.authenticate({ input: { email: "nobody@example.test", password: "long enough password" } }).catch(() => undefined);
    // Search: the index written after every change (lib/search/indexer.ts), its sweep, and searches
    // with words, a prefix, a phrase, each operator, inside one conversation, and a second page.
    const indexer = await import("../../lib/search/indexer");
    await indexer.indexingSettled();
    const { resetSearchVersions } = await import("../../lib/db/conversations");
    await resetSearchVersions({ db });
    await indexer.indexBehindConversations({ quietMs: 0 });
    for (const q of ["message", "mess", '"a reply"', "hello from:me", "message from:ben in:plans", "has:image", "has:link", "before:2099-01-01 message", "after:2000-01-01", "from:me"]) {
      const found = await chat.searchMessages({ userId: ana.id, input: { q } });
      if (q === "mess") assert.ok(found.hits.length > 0, "the search finds what was sent");
      if (found.cursor) await chat.searchMessages({ userId: ana.id, input: { q, cursor: found.cursor } });
    }
    await chat.searchMessages({ userId: ben.id, input: { q: "message", conversationId: dm } });

    const problems: string[] = [];
    let explained = 0;
    for (const item of sent) {
      if (["locks"].includes(item.collection)) problems.push(`${item.command} on ${item.collection}: a collection Parley no longer has`);
      const allowed = ALLOWED_SCANS.find((scan) => scan.collection === item.collection && scan.matches(item.filter));
      if (allowed) continue;
      // A top-level $or/$and/$nor makes the embedded database scan even beside an _id, for writes too.
      if (Object.keys(item.filter).some((key) => key === "$or" || key === "$and" || key === "$nor")) {
        problems.push(`${item.command} on ${item.collection} uses a top-level ${Object.keys(item.filter).join(",")}: ${JSON.stringify(item.filter)}`);
        continue;
      }
      if (item.command !== "find" && item.command !== "aggregate") {
        if (item.command === "findAndModify") problems.push(`findAndModify on ${item.collection}: not every server plans it by _id`);
        const id = item.filter._id;
        if (id !== undefined && (typeof id !== "object" || id === null || !Object.keys(id).some((k) => k.startsWith("$")) || "$in" in id)) continue;
      }
      const stages = await explainRead(db, item);
      explained += 1;
      if (stages.includes("COLLSCAN")) problems.push(`${item.command} on ${item.collection} scans the collection: ${JSON.stringify(item.filter)} (${stages.join(" < ")})`);
    }
    assert.ok(explained >= 20, `only ${explained} reads were explained: the run did not exercise the data layer`);
    assert.deepEqual(problems, []);
  });

  it("would catch a scan: a filter on an unindexed field is reported", async () => {
    const stages = await explainRead(db, { command: "find", collection: "messages", filter: { text: "hello" } });
    assert.ok(stages.includes("COLLSCAN"), `expected a collection scan, got ${stages.join(",")}`);
  });
});
