// Indexes existing messages for search (README "Search"): `npm run search:rebuild` starts the
// index over (empties it, marks every conversation behind from nothing) and runs Parley's own
// indexer (lib/search/indexer.ts) over every conversation; `-- --continue` indexes only the
// conversations whose index is behind (flagged, or below their version hint: what a process with
// SEARCH_INDEX=off wrote, or what an interrupted rebuild did not reach). Safe while Parley runs:
// every posting and every searchVersion write is conditional, so a send's indexer and this one
// never undo each other.
//
// Memory stays bounded: conversations are read a page at a time in _id order, each indexed in
// steps of versions. Progress goes to stderr; the last line is the count and the rate.
import type { ObjectId } from "mongodb";
import { MongoClient } from "mongodb";
import { loadEnvFiles } from "./processes.mjs";

loadEnvFiles();
// After the env files: these read the environment when first used.
const { getServerEnv } = await import("../lib/env");
const { closeDb, setReplyTimeout } = await import("../lib/db/client");
const { getSearchStates, resetSearchVersions } = await import("../lib/db/conversations");
const { clearSearchIndex } = await import("../lib/db/search");
const { indexConversation } = await import("../lib/search/indexer");

/** Conversations read per page, and indexed at once (the database writes one at a time; two keep it busy). */
const PAGE = 200;
const PARALLEL = 2;
const PROGRESS_EVERY_MS = 2_000;
/** Attempts per conversation, should the database stop answering for a while. */
const ATTEMPTS = 6;

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== "--continue");
if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(" ")}: search:rebuild takes --continue`);
const resume = args.includes("--continue");

const env = getServerEnv();
// Steps of 500 messages are no interactive reads: a busy machine may take more than Parley's 2 s over one.
setReplyTimeout(60_000);
// A connection of its own, without Parley's 2 s bound on a reply: emptying the index and resetting every conversation take longer.
const client = new MongoClient(env.MONGODB_URI, { appName: "parley-search-rebuild" });
await client.connect();
const db = client.db(env.MONGODB_DB);
const started = performance.now();
const say = (line: string) => process.stderr.write(`search:rebuild: ${line}\n`);
try {
  if (!resume) {
    // Emptied first, then reset: an indexer that read a searchVersion before the reset cannot advance it after (lib/db/conversations.ts).
    await clearSearchIndex({ db });
    await resetSearchVersions({ db });
    say("index emptied, every conversation marked behind");
  }
  const total = await db.collection("conversations").estimatedDocumentCount();
  const counts = await indexAll(total);
  const seconds = (performance.now() - started) / 1000;
  // What the index holds now: `postings` counts what completed attempts wrote (a retried conversation's failed attempt is not counted).
  const stored = await db.collection("searchIndex").estimatedDocumentCount();
  say(`done: ${counts.indexed} of ${counts.looked} conversations indexed, ${counts.postings} postings written in ${seconds.toFixed(1)} s (${(counts.postings / seconds).toFixed(0)} postings/s); the index holds ${stored}`);
  // For scripts (the bench): one JSON line on stdout.
  process.stdout.write(`${JSON.stringify({ ...counts, stored, ms: performance.now() - started })}\n`);
} finally {
  await closeDb();
  await client.close();
}

async function indexAll(total: number): Promise<{ looked: number; indexed: number; postings: number }> {
  const counts = { looked: 0, indexed: 0, postings: 0 };
  let after: ObjectId | null = null;
  let reported = performance.now();
  for (;;) {
    const from: ObjectId | null = after;
    const page: Awaited<ReturnType<typeof getSearchStates>> = await withRetries(() => getSearchStates({ after: from, limit: PAGE }), `the conversations after ${from?.toHexString() ?? "the first"}`);
    if (page.length === 0) return counts;
    after = page.at(-1)!._id;
    const behind = page.filter((c) => c.searchBehind === true || (c.searchVersion ?? 0) < (c.version ?? 0));
    let next = 0;
    const worker = async () => {
      while (next < behind.length) {
        const conversation = behind[next++]!;
        const written = await withRetries(() => indexConversation(conversation._id), `conversation ${conversation._id.toHexString()}`);
        counts.postings += written;
        counts.indexed += 1;
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    counts.looked += page.length;
    if (performance.now() - reported > PROGRESS_EVERY_MS) {
      reported = performance.now();
      const rate = counts.postings / ((reported - started) / 1000);
      say(`${counts.looked}/${total} conversations, ${counts.indexed} indexed, ${counts.postings} postings (${rate.toFixed(0)}/s)`);
    }
  }
}

/** `task` again after a failure (each step it completed stays done), waiting a little longer each time. */
async function withRetries<T>(task: () => Promise<T>, what: string): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      say(`${what}: ${(error as Error).message}; again in ${attempt} s`);
      await new Promise((resolve) => setTimeout(resolve, attempt * 1000));
    }
  }
}
