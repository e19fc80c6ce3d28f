// Keeps the search index (lib/db/search.ts) up with the messages. Every change to a message
// takes its conversation's next version, so the index of a conversation is "written through
// version V" (the conversation's searchVersion) and catching up is reading the versions after V
// on the (conversationId, version) index, as sync does, and writing their postings.
//
// Sends do not wait for it. The process that stored a change hands the message to the indexer,
// which gathers what every conversation changed over a short delay (INDEX_DELAY_MS) and writes
// all their postings with one insert, taking the versions this process wrote, one after another,
// from where it knows the index stands. Each conversation's searchVersion moves a little later
// (MOVE_DELAY_MS), once for all its changes meanwhile. When the indexer does not know where a
// conversation stands (its first change here), or another process wrote versions in between, or
// a move finds searchVersion elsewhere, the conversation is caught up the long way instead
// (indexConversation: read the versions after searchVersion).
//
// A change whose process died before indexing it is found by the sweep (indexBehindConversations,
// run by the socket servers): the write that raises a conversation's version hint also flags it
// `searchBehind`, and the flag is cleared only once the index has reached that version.
import type { ObjectId } from "mongodb";
import { advanceSearchVersion, advanceSearchVersions, clearSearchBehind, getConversationsBehind, getSearchPosition } from "../db/conversations";
import type { MessageDoc } from "../db/messages";
import { getServerEnv } from "../env";
import { getHighestVersion, getMessagesInVersionRange } from "../db/messages";
import { writePostings } from "../db/search";
import { postingOf } from "./terms";

/** Versions read in one step. */
const STEP = 500;
/**
 * Postings per write: each is one index entry per key (~0.1–0.2 ms apiece on SecantusDB), so a
 * step's 500 in one write could outlast Parley's 2 s bound on a reply (lib/db/client.ts).
 */
const WRITE_CHUNK = 100;
/** How long a conversation flagged behind has been without a message before the sweep looks at it. */
const SWEEP_QUIET_MS = 30_000;
/** How long changes gather before they are written together. */
export const INDEX_DELAY_MS = 250;
/** How long after its postings a conversation's searchVersion moves: once for all its changes meanwhile. */
const MOVE_DELAY_MS = 10_000;

/** Conversations caught up the long way: at most one run each at a time, and once more when asked meanwhile. */
const running = new Map<string, Promise<void>>();
const again = new Set<string>();
/**
 * Per conversation, where this process knows its index stands: `stored`, the searchVersion it last
 * saw stored (moved or read), and `written`, the version through which it has written the
 * postings since, one after another.
 */
const positions = new Map<string, { stored: number; written: number }>();
/** Changes waiting for the next write: per conversation, its changed messages by version. */
let gathered = new Map<string, { id: ObjectId; changes: Map<number, MessageDoc> }>();
/** Conversations whose postings were written past their stored searchVersion. */
const unmoved = new Map<string, ObjectId>();
let timer: NodeJS.Timeout | undefined;
let moveTimer: NodeJS.Timeout | undefined;
/** The write or the move under way: one at a time. */
let busy: Promise<void> | null = null;

/**
 * Has `conversationId`'s index brought up to date soon, in the background. `changed`: the
 * messages as this process just stored them, each at the version its change took; without them
 * (or when they cannot be written as they are) the conversation is caught up from the database.
 * Failures are logged: the sweep (or the next change) picks the conversation up again.
 */
export function scheduleIndexing(conversationId: ObjectId, changed: MessageDoc[] = []): void {
  if (getServerEnv().SEARCH_INDEX === "off") return;
  if (changed.length === 0) {
    catchUp(conversationId);
    return;
  }
  const key = conversationId.toHexString();
  const entry = gathered.get(key) ?? { id: conversationId, changes: new Map<number, MessageDoc>() };
  for (const message of changed) entry.changes.set(message.version, message);
  gathered.set(key, entry);
  timer ??= setTimeout(() => void writeGathered(), INDEX_DELAY_MS);
}

/** Catches `conversationId` up the long way; calls while it runs make it run once more afterwards. */
function catchUp(conversationId: ObjectId): void {
  const key = conversationId.toHexString();
  if (running.has(key)) {
    again.add(key);
    return;
  }
  const run = (async () => {
    do {
      again.delete(key);
      await indexConversation(conversationId);
    } while (again.has(key));
  })()
    .catch((error: unknown) => {
      positions.delete(key);
      console.warn(`search index: conversation ${key} not indexed yet (${(error as Error).message})`);
    })
    .finally(() => running.delete(key));
  running.set(key, run);
}

/**
 * Writes what was gathered: the postings of the conversations whose changes follow on from where
 * this process knows their index stands, all in one insert; the others go the long way. Their
 * searchVersion moves a little later (moveWritten).
 */
function writeGathered(): Promise<void> {
  timer = undefined;
  if (busy) return busy;
  const batch = gathered;
  gathered = new Map();
  busy = (async () => {
    const docs: MessageDoc[] = [];
    const written: { key: string; id: ObjectId; through: number }[] = [];
    for (const [key, { id, changes }] of batch) {
      const known = positions.get(key);
      const versions = [...changes.keys()].sort((a, b) => a - b);
      if (!known || running.has(key) || !versions.every((version, i) => version === known.written + 1 + i)) {
        catchUp(id);
        continue;
      }
      written.push({ key, id, through: versions.at(-1)! });
      docs.push(...versions.map((version) => changes.get(version)!));
    }
    if (written.length === 0) return;
    try {
      const postings = docs.map(postingOf);
      for (let i = 0; i < postings.length; i += WRITE_CHUNK) await writePostings(postings.slice(i, i + WRITE_CHUNK));
    } catch (error) {
      console.warn(`search index: ${written.length} conversations not indexed yet (${(error as Error).message})`);
      for (const { key, id } of written) {
        positions.delete(key);
        catchUp(id);
      }
      return;
    }
    for (const { key, id, through } of written) {
      // A long-way run may have replaced (or, failing, dropped) the position meanwhile.
      const known = positions.get(key);
      if (known) known.written = Math.max(known.written, through);
      unmoved.set(key, id);
    }
  })()
    .catch(unexpected)
    .finally(settle);
  return busy;
}

/**
 * Moves the searchVersion of every conversation whose postings were written past it, and clears
 * its flag unless a later change raised it again: one update each, however many changes it had
 * since the last move (the update of a conversation costs SecantusDB about as much as the insert
 * of a message). When a move finds searchVersion elsewhere (another writer, a rebuild), those
 * conversations go the long way.
 */
function moveWritten(): Promise<void> {
  moveTimer = undefined;
  if (busy) return busy;
  const due = [...unmoved];
  unmoved.clear();
  busy = (async () => {
    const moves = due.flatMap(([key, id]) => {
      const known = positions.get(key);
      return known && known.written > known.stored ? [{ key, id, from: known.stored, to: known.written }] : [];
    });
    if (moves.length === 0) return;
    let moved = 0;
    try {
      moved = await advanceSearchVersions(moves);
    } catch (error) {
      console.warn(`search index: ${moves.length} conversations' positions not moved yet (${(error as Error).message})`);
    }
    for (const move of moves) {
      const known = positions.get(move.key);
      if (moved === moves.length) {
        if (known?.stored === move.from) known.stored = move.to;
      } else {
        positions.delete(move.key);
        catchUp(move.id);
      }
    }
  })()
    .catch(unexpected)
    .finally(settle);
  return busy;
}

/** A write or a move never rejects: what it could not do is left to the long way and the sweep. */
function unexpected(error: unknown) {
  console.warn(`search index: ${(error as Error).message}`);
}

/** After a write or a move: the next one, when there is something for it. */
function settle() {
  busy = null;
  if (gathered.size > 0) timer ??= setTimeout(() => void writeGathered(), INDEX_DELAY_MS);
  if (unmoved.size > 0) moveTimer ??= setTimeout(() => void moveWritten(), MOVE_DELAY_MS);
}

/** Resolves once everything this process has been given or scheduled is indexed and recorded (tests, shutdown): what waits is done now. */
export async function indexingSettled(): Promise<void> {
  while (running.size > 0 || gathered.size > 0 || unmoved.size > 0 || busy) {
    if (!busy && gathered.size > 0) {
      clearTimeout(timer);
      void writeGathered();
    } else if (!busy && unmoved.size > 0) {
      clearTimeout(moveTimer);
      void moveWritten();
    }
    await Promise.all([...running.values(), busy]);
  }
}

/**
 * Writes the postings of every change after the conversation's searchVersion; returns how many it
 * wrote. Each step advances searchVersion only from the value it started from: when another writer
 * moved it meanwhile (another process, or a rebuild's reset), it starts again from where it is now.
 * It stops at the highest version it found: a change stored after that schedules its own run.
 * Six reads and writes however few the changes: the conversation, its highest version (from the
 * hint), the changes, the postings, searchVersion and the flag; what a process writes itself
 * usually goes the short way (scheduleIndexing).
 */
export async function indexConversation(conversationId: ObjectId): Promise<number> {
  let { stored, hint } = await getSearchPosition({ id: conversationId });
  let written = 0;
  for (;;) {
    const since = Math.max(0, stored ?? 0);
    const highest = await getHighestVersion({ conversationId, atLeast: Math.max(since, hint) });
    if (highest <= since) break;
    const through = Math.min(highest, since + STEP);
    const rows = await getMessagesInVersionRange({ conversationId, after: since, through });
    const docs = rows.map(postingOf);
    for (let i = 0; i < docs.length; i += WRITE_CHUNK) await writePostings(docs.slice(i, i + WRITE_CHUNK));
    written += docs.length;
    if (await advanceSearchVersion({ id: conversationId, from: stored, to: through })) {
      stored = through;
      if (through === highest) break;
      hint = through;
    } else {
      ({ stored, hint } = await getSearchPosition({ id: conversationId }));
    }
  }
  await clearSearchBehind({ id: conversationId, version: Math.max(0, stored ?? 0) });
  // Where the next changes written here follow on from (none yet, or a reset's value: the long way once more).
  if (stored !== null && stored >= 0) positions.set(conversationId.toHexString(), { stored, written: stored });
  return written;
}

/**
 * The sweep: indexes up to `limit` conversations flagged behind that have had no message for
 * `quietMs` (a busy one is looked after by the processes writing there); returns how many it looked at.
 */
export async function indexBehindConversations({ limit = 100, quietMs = SWEEP_QUIET_MS }: { limit?: number; quietMs?: number } = {}): Promise<number> {
  const behind = await getConversationsBehind({ limit, quietSince: new Date(Date.now() - quietMs) });
  for (const id of behind) {
    await indexConversation(id);
  }
  return behind.length;
}
