// Keeps the search index (lib/db/search.ts) up with the messages. Every change to a message
// takes its conversation's next version, so the index of a conversation is "written through
// version V" (the conversation's searchVersion) and catching up is reading the versions after V
// on the (conversationId, version) index, as sync does, and writing their postings.
//
// Sends do not wait for it: the process that stored a change schedules its conversation and
// answers; the index follows a moment later. A change whose process died before indexing it is
// found by the sweep (indexBehindConversations, run by the socket servers): the write that
// raises a conversation's version hint also flags it `searchBehind`, and the flag is cleared
// only once the index has reached that version.
import type { ObjectId } from "mongodb";
import { advanceSearchVersion, clearSearchBehind, getConversationsBehind, getSearchPosition } from "../db/conversations";
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
const running = new Map<string, Promise<void>>();
const again = new Set<string>();

/**
 * Brings `conversationId`'s index up to date soon, in the background. Calls while it runs make it
 * run once more afterwards, never twice at once in this process. Failures are logged: the sweep
 * (or the next change) picks the conversation up again.
 */
export function scheduleIndexing(conversationId: ObjectId): void {
  if (getServerEnv().SEARCH_INDEX === "off") return;
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
    .catch((error: unknown) => console.warn(`search index: conversation ${key} not indexed yet (${(error as Error).message})`))
    .finally(() => running.delete(key));
  running.set(key, run);
}

/** Resolves once every indexing this process has scheduled is done (tests, shutdown). */
export async function indexingSettled(): Promise<void> {
  while (running.size > 0) await Promise.all(running.values());
}

/**
 * Writes the postings of every change after the conversation's searchVersion; returns how many it
 * wrote. Each step advances searchVersion only from the value it started from: when another writer
 * moved it meanwhile (another process, or a rebuild's reset), it starts again from where it is now.
 * It stops at the highest version it found: a change stored after that schedules its own run.
 * Five reads and writes for one new message: the conversation, its highest version (from the
 * hint), the changes, the postings, searchVersion; and the flag.
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
  return written;
}

/** The sweep: indexes up to `limit` conversations flagged behind; returns how many it looked at. */
export async function indexBehindConversations({ limit = 100 }: { limit?: number } = {}): Promise<number> {
  const behind = await getConversationsBehind({ limit });
  for (const id of behind) {
    await indexConversation(id);
  }
  return behind.length;
}
