// Message search (DESIGN.md "Search"): what the searcher may read now — conversations they are a
// member of at this moment, never a deleted message, never one hidden for them — newest first.
//
// The index (lib/db/search.ts) is read one conversation at a time, back in stretches of time from
// the cursor (or the conversation's last activity), for the key of the most telling typed word,
// or for a phrase the key of a pair of its words (where the index files pairs: lib/db/search.ts
// pairsFrom): each read one bounded range. A conversation's first stretch holds about 100 of its messages, as
// its rate over its life tells, so a quiet one is read whole at once and a busy one a day or so;
// the next stretch is as long as the candidates found so far say it takes to fill the page
// (nextSpan). The streams are merged newest first: what was read is taken as far as no unread
// stretch could hold anything newer, and the conversation whose unread part is newest reads
// next. What the postings tell (hidden, has:, sender, the other words, phrases) is filtered
// first; what is left is checked against the messages as they are now (an edit the index has not
// caught up with), once there are enough to fill the page. A page checks at most EXAMINE_MAX
// candidates and makes at most READS_MAX reads: past that it answers with what it has,
// `partial`, and a cursor to go on.
//
// from: names people, by id (every posting is also filed under its sender: lib/search/keys.ts
// senderKey): "me", or the members of the searched conversations whose name matches now. Only
// the conversations one of them is in are read, and with no typed word the reads start from the
// senders' keys. A name that matches no member (someone who has left) is told from the name each
// message holds, reading every posting of each window.
import type { ObjectId } from "mongodb";
import type { ConversationDoc } from "../db/conversations";
import { getMessagesByIds, type MessageDoc } from "../db/messages";
import { findPostings, pairsFrom, type PostingRow } from "../db/search";
import type { MessageDto, SearchResult } from "../schemas/dto";
import { SEARCH_PAGE_SIZE, searchSchema } from "../schemas/search";
import { lookupKey, phrasePairKeys, senderKey } from "../search/keys";
import { isEmptyQuery, parseQuery, type ParsedQuery } from "../search/query";
import { searchedText } from "../search/terms";
import { textMatcher, type TextMatcher } from "../search/match";
import { containsPhrase, wordsOf } from "../search/words";
import { toMessageDto } from "./dto";
import { oid, parseInput, type Actor } from "./ids";
import { withReplyPreviews } from "./replies";
import { searchedConversations } from "./search-conversations";
import { sendersOf, type Senders } from "./search-senders";

/** Postings one page checks against their messages at most before it answers with what it has. */
export const EXAMINE_MAX = 1_000;
/** Index reads (one conversation, one window) one page makes at most. */
export const READS_MAX = 400;
/** A conversation's first stretch holds about this many of its messages (its rate over its life tells how long that is). */
const FIRST_SPAN_MESSAGES = 100;
/**
 * A stretch that found fewer candidates than the page still needs makes the next one longer, by
 * as much as its rate says it takes to find them (a quarter more), at most this much at once; one
 * that found nothing, this much. A rare word reads a 20,000-message conversation whole in three
 * reads.
 */
const MAX_GROWTH = 16;
/**
 * A stretch is made no longer than it takes to read about this many postings (as the last one's
 * count tells), and shorter when one read more. On SecantusDB a read costs about as much as seven
 * postings, and what a long stretch reads past the page is wasted: for a phrase of common words
 * (a candidate in thirty postings) 300 cost less than 150 or 600 (53 ms of its CPU a page, against
 * 59 and 71, on the 200k trace database).
 */
const STRETCH_POSTINGS_MAX = 300;
const MIN_SPAN_MS = 60 * 1000;
/** How far after a conversation's last activity a message of it may be dated (writers' clocks and batches). */
const CLOCK_SKEW_MS = 60 * 1000;
/**
 * Conversations read at once, those whose unread part is newest. More at once costs the database
 * more than it saves in time: SecantusDB 0.7.0b3 read one searcher's six first stretches (108
 * postings) in 18 ms of its CPU at once, and in 12 ms one after another, which also took less time.
 */
const PARALLEL_READS = 2;

type Position = { at: number; id: string };

export async function searchMessages({ userId, input }: Actor & { input: unknown }): Promise<SearchResult> {
  const data = parseInput(searchSchema, input);
  const me = oid(userId);
  const query = parseQuery(data.q, { timeZone: data.timeZone });
  const result: SearchResult = { hits: [], cursor: null, words: query.words, phrases: query.phrases, partial: false, expanded: false };
  if (isEmptyQuery(query)) return result;

  const searched = await searchedConversations(me, query, data.conversationId);
  const senders = await sendersOf(query, searched, me);
  // Where none of the senders is a member, nothing can match.
  const conversations = senders ? searched.filter((c) => senders.in(c).length > 0) : searched;
  if (conversations.length === 0) return result;
  const typed = [...query.words, ...query.phrases.flatMap(keyedWords)];
  const keys = [...new Set(typed.map(lookupKey))];
  // The longest key leads: the rarer a key, the fewer postings each read returns. Without one, the senders' keys.
  const lead = longest(keys);
  const readsOf = (c: ConversationDoc): (string | null)[] => (lead === null && senders ? senders.in(c).map(senderKey) : [lead]);
  // A phrase is read by a pair of its words instead, where every posting is filed under its pairs.
  const pair = longest(query.phrases.flatMap(phrasePairKeys));
  const pairsSince = pair === null ? Infinity : (await pairsFrom()).getTime();
  const textMatches = textMatcher(query);
  const passes = postingFilter(query, keys, me, senders, textMatches);

  const cursor = data.cursor ? parseCursor(data.cursor) : null;
  const top = Math.min(cursor ? cursor.at + 1 : Date.now() + CLOCK_SKEW_MS, query.before?.getTime() ?? Infinity);
  const after = query.after?.getTime() ?? -Infinity;
  const streams = conversations.map((c) => streamOf(c, readsOf(c), { top, after }));
  const byPair = (stream: Stream) => pair !== null && stream.to > pairsSince;
  const unseen = (row: PostingRow) => !cursor || row.at!.getTime() < cursor.at || (row.at!.getTime() === cursor.at && row._id.toHexString() < cursor.id);
  let reads = 0;
  const pending = () => streams.reduce((n, stream) => n + stream.rows.length, 0);
  const readNext = async (list: Stream[]) => {
    await inParallel(list, async (stream) => {
      const paired = byPair(stream);
      const from = Math.max(stream.low, stream.to - stream.span, paired ? pairsSince : -Infinity);
      const keys = paired ? [pair] : stream.keys;
      const rows = (await Promise.all(keys.map((key) => findPostings({ key, conversationId: stream.id, from: new Date(from), to: new Date(stream.to) })))).flat();
      reads += keys.length;
      const passed = rows.filter((row) => unseen(row) && passes(row));
      stream.rows.push(...passed);
      stream.rows.sort(newestFirst);
      stream.to = from;
      // Past the pairs' mark, words are read: far more postings a stretch than a pair, so the stretch starts over.
      stream.span = paired && !byPair(stream) ? stream.firstSpan : nextSpan(stream.span, { read: rows.length, passed: passed.length, needed: SEARCH_PAGE_SIZE - found.length - pending() });
    });
  };

  let examined = 0;
  let stop: Position | null = null;
  const found: MessageDoc[] = [];
  // While the page is not full: the conversations whose unread part is newest read their next
  // stretch, and what was read is taken newest first as far as no unread stretch could hold
  // anything newer. A conversation quiet since long before the page filled is never read. The
  // candidates are checked against their messages once there are enough of them to fill the
  // page, or nothing more is to be read: one read of the messages, most of the time.
  const newest = (n: number) => streams.filter(unread).sort((a, b) => b.to - a.to).slice(0, n);
  const budgetLeft = () => reads < READS_MAX;
  await readNext(newest(PARALLEL_READS));
  for (;;) {
    const edge = Math.max(-Infinity, ...streams.filter(unread).map((stream) => stream.to));
    const ready = streams.flatMap((stream) => stream.rows.filter((row) => row.at!.getTime() >= edge)).sort(newestFirst);
    if (ready.length < SEARCH_PAGE_SIZE - found.length && edge !== -Infinity && budgetLeft()) {
      await readNext(newest(PARALLEL_READS));
      continue;
    }
    let taken = 0;
    while (taken < ready.length && found.length < SEARCH_PAGE_SIZE && examined < EXAMINE_MAX) {
      const slice = ready.slice(taken, taken + Math.max(SEARCH_PAGE_SIZE - found.length, 10));
      taken += slice.length;
      examined += slice.length;
      found.push(...(await verify(slice, query, me, senders, textMatches)));
    }
    const gone = new Set(ready.slice(0, taken));
    for (const stream of streams) stream.rows = stream.rows.filter((row) => !gone.has(row));
    if (taken < ready.length) {
      // The page filled (or its budget ran out) with candidates left: the next page starts after the last one checked.
      const last = ready[taken - 1]!;
      stop = { at: last.at!.getTime(), id: last._id.toHexString() };
      break;
    }
    const next = newest(PARALLEL_READS);
    if (next.length === 0 || found.length >= SEARCH_PAGE_SIZE || examined >= EXAMINE_MAX || !budgetLeft()) {
      // Everything at or after the edge was checked: the next page starts below it.
      if (next.length > 0) stop = { at: edge - 1, id: "f".repeat(24) };
      break;
    }
    await readNext(next);
  }
  const hits = found.slice(0, SEARCH_PAGE_SIZE);
  result.hits = await withReplyPreviews(hits.map((doc) => toMessageDto(doc, userId)));
  result.cursor = stop ? `${stop.at}.${stop.id}` : null;
  result.partial = result.cursor !== null && hits.length < SEARCH_PAGE_SIZE;
  return result;
}

/**
 * One conversation's postings, read back in stretches of time from `to` down to `low`: `rows`
 * holds what was read and passed the posting filter but is not taken yet, newest first.
 */
type Stream = { id: ObjectId; keys: (string | null)[]; to: number; low: number; span: number; firstSpan: number; rows: PostingRow[] };

const unread = (stream: Stream) => stream.to > stream.low;

/**
 * A conversation's stream: from its last activity (nothing of it is newer; a minute's leeway for
 * writers whose clocks or batches disagree) down to its creation, first in a stretch that holds
 * about FIRST_SPAN_MESSAGES of its messages, as many as it has over its life tell.
 */
function streamOf(c: ConversationDoc, keys: (string | null)[], { top, after }: { top: number; after: number }): Stream {
  const created = c.createdAt.getTime();
  const last = c.lastActivityAt.getTime();
  const count = Math.max(1, c.lastMessage?.seq ?? 1);
  const span = Math.max(MIN_SPAN_MS, ((last - created) / count) * FIRST_SPAN_MESSAGES);
  return { id: c._id, keys, to: Math.min(top, last + CLOCK_SKEW_MS), low: Math.max(after, created - 1), span, firstSpan: span, rows: [] };
}

/**
 * The next stretch's length, from what this one held: `read` postings, `passed` of them candidates,
 * and `needed` more the page still needs (beyond the candidates waiting).
 */
export function nextSpan(span: number, { read, passed, needed }: { read: number; passed: number; needed: number }): number {
  if (read > STRETCH_POSTINGS_MAX) return Math.max(MIN_SPAN_MS, span * (STRETCH_POSTINGS_MAX / read));
  if (needed <= 0) return span;
  const wanted = passed === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, Math.max(1, (1.25 * needed) / passed));
  // No longer than it takes to read about STRETCH_POSTINGS_MAX postings, at this one's density.
  const growth = read === 0 ? wanted : Math.min(wanted, Math.max(1, STRETCH_POSTINGS_MAX / read));
  return span * growth;
}

/**
 * The words of a phrase that every match is filed under: all but a last word of one or two
 * characters after others, which may begin a longer word ("looks go" finds "looks good").
 */
const keyedWords = (phrase: string[]): string[] => (phrase.length > 1 && Array.from(phrase.at(-1)!).length < 3 ? phrase.slice(0, -1) : phrase);

/** The longest of `keys` (in characters), the first of those as long; null when there is none. */
const longest = (keys: string[]): string | null => (keys.length > 0 ? keys.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a)) : null);

const newestFirst = (a: PostingRow, b: PostingRow) => b.at!.getTime() - a.at!.getTime() || (a._id.toHexString() < b._id.toHexString() ? 1 : -1);

/**
 * What can be told from a posting alone: hidden for the searcher, has:, every typed word's key
 * among its words, and then (postings that hold them: `n`, `t`) from: and the whole words and
 * phrases, as verify() tells them from the message. Most candidates of a phrase or of a sender
 * fail there, so they cost no read of their message.
 */
function postingFilter(query: ParsedQuery, keys: string[], me: ObjectId, senders: Senders | null, textMatches: TextMatcher): (row: PostingRow) => boolean {
  const byName = query.from.some((name) => name !== "me");
  return (row) =>
    !row.h?.some((id) => id.equals(me)) &&
    (!query.has.includes("file") || row.f === true) &&
    (!query.has.includes("image") || row.i === true) &&
    (!query.has.includes("link") || row.l === true) &&
    (senders !== null || !query.from.includes("me") || byName || row.s?.equals(me) === true) &&
    keys.every((key) => row.w?.includes(key)) &&
    (senders !== null ? row.s !== undefined && senders.ids.has(row.s.toHexString()) : row.n === undefined || fromMatches(query, { senderId: row.s, senderName: row.n }, me)) &&
    (row.t === undefined || textMatches(row.t));
}

/** from: as a message (or its posting) tells it: any of the names, or "me". */
function fromMatches(query: ParsedQuery, { senderId, senderName }: { senderId: ObjectId | undefined; senderName: string }, me: ObjectId): boolean {
  return query.from.length === 0 || query.from.some((name) => (name === "me" ? senderId?.equals(me) === true : containsPhrase(senderName, wordsOf(name))));
}

/** `task` for every item, at most PARALLEL_READS at once, results in order. */
async function inParallel<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, items.length) }, worker));
  return results;
}

function parseCursor(cursor: string): Position {
  const [at, id] = cursor.split(".");
  return { at: Number(at), id: id! };
}

/** The candidates still matching as their messages are now, in the order found. */
async function verify(rows: { _id: ObjectId }[], query: ParsedQuery, me: ObjectId, senders: Senders | null, textMatches: TextMatcher): Promise<MessageDoc[]> {
  if (rows.length === 0) return [];
  const docs = new Map((await getMessagesByIds({ ids: rows.map((row) => row._id) })).map((doc) => [doc._id.toHexString(), doc]));
  const matches = (doc: MessageDoc | undefined): doc is MessageDoc => {
    if (!doc || doc.deletedAt !== null || doc.kind !== "text" || doc.hiddenFor.some((id) => id.equals(me))) return false;
    const from = senders ? senders.ids.has(doc.senderId.toHexString()) : fromMatches(query, doc, me);
    return from && textMatches(searchedText(doc));
  };
  return rows.map((row) => docs.get(row._id.toHexString())).filter(matches);
}

export type { MessageDto };
