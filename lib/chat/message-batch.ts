// New messages written in batches: the sends that arrive within a short window, or while the
// previous batch is being written, are stored with one ordered insertMany, across
// conversations, and each conversation's list preview moves once per batch. On FerretDB an
// insertMany of a few hundred messages costs about what two or three insertOnes do (its SQLite
// backend writes one statement at a time), so this is what lets a process keep up under load.
//
// The invariants are those of the one-by-one path (append.ts, sequencer.ts):
//  - per conversation, seq and version go up by one per message in the order the sends arrived,
//    and a position is only taken by a write that is visible: the batch is ordered, so the
//    messages become visible in position order and the insert stops at the first one refused;
//  - a unique index decides between processes: the messages before the refused one are stored,
//    the refused one is either a repeat of a stored message (its `onConflict` answers) or lost
//    its position to another process, and it and the rest are tried again with fresh positions;
//  - each caller's promise settles only after its own message is stored and its conversation's
//    lastMessage moved past it, so an ack still means stored;
//  - a send still waiting for a batch when the database is found not answering gives up with a
//    retryable UNAVAILABLE, as one waiting in a conversation's queue does.
import { ObjectId } from "mongodb";
import { onDbUnavailable } from "../db/client";
import { advanceLastMessage } from "../db/conversations";
import { insertMessagesInOrder, isDuplicateKeyError, type MessageDoc } from "../db/messages";
import { AppError } from "../errors";
import type { NewMessage, SentMessage } from "./append";
import { previewOf, toMessageDto } from "./dto";
import { forgetPositions, highestPositions, holdQueue, MAX_ATTEMPTS, rememberPositions, type Positions } from "./sequencer";

type Entry = {
  message: NewMessage;
  onConflict: () => Promise<SentMessage | null>;
  resolve: (sent: SentMessage) => void;
  reject: (error: unknown) => void;
  stopWatching: () => void;
  /** Times another process took the positions this message was about to use. */
  conflicts: number;
};

export type MessageBatcher = { append(message: NewMessage, onConflict: () => Promise<SentMessage | null>): Promise<SentMessage> };

/** `windowMs`: how long the first send of a batch waits for others; `maxBatch`: messages per insertMany at most. */
export function createMessageBatcher({ windowMs, maxBatch = 500 }: { windowMs: number; maxBatch?: number }): MessageBatcher {
  let pending: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing = false;

  const flush = () => {
    timer = undefined;
    if (writing || pending.length === 0) return;
    const batch = pending.slice(0, maxBatch);
    pending = pending.slice(maxBatch);
    for (const entry of batch) entry.stopWatching();
    writing = true;
    void writeBatch(batch).finally(() => {
      writing = false;
      // Whatever arrived meanwhile has waited long enough already.
      flush();
    });
  };

  return {
    append(message, onConflict) {
      return new Promise<SentMessage>((resolve, reject) => {
        const entry: Entry = { message, onConflict, resolve, reject, stopWatching: () => undefined, conflicts: 0 };
        pending.push(entry);
        // Called at once when the database is known down now; a batch already writing is not cut short.
        entry.stopWatching = onDbUnavailable((error) => {
          if (!pending.includes(entry)) return;
          pending = pending.filter((other) => other !== entry);
          reject(error);
        });
        if (!writing && timer === undefined && pending.length > 0) timer = setTimeout(flush, windowMs);
      });
    },
  };
}

const hex = (id: ObjectId) => id.toHexString();
const idempotencyKey = ({ conversationId, senderId, clientMsgId }: NewMessage) => `${hex(conversationId)}:${hex(senderId)}:${clientMsgId}`;

/** Writes one batch while holding the queues of its conversations (edits in this process wait). */
async function writeBatch(batch: Entry[]): Promise<void> {
  const conversations = [...new Set(batch.map((entry) => hex(entry.message.conversationId)))];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  try {
    const held = await Promise.all(
      conversations.map((id) => holdQueue(`conversation:${id}`, released).then(() => null, (error: unknown) => ({ id, error }))),
    );
    const refused = new Map(held.flatMap((failed) => (failed ? [[failed.id, failed.error] as const] : [])));
    const writable: Entry[] = [];
    for (const entry of batch) {
      const id = hex(entry.message.conversationId);
      if (refused.has(id)) entry.reject(refused.get(id));
      else writable.push(entry);
    }
    const results = await storeAll(writable);
    await finish(writable, results);
  } catch (error) {
    for (const entry of batch) entry.reject(error);
  } finally {
    release();
  }
}

type Results = Map<Entry, SentMessage | { error: unknown }>;

/**
 * Stores every entry once, in rounds: each round inserts what is left at fresh positions and
 * stops at the first refusal, which is settled (a repeat, another error) or tried again. A
 * repeat of a key already in the batch is not inserted: it gets the first one's message.
 */
async function storeAll(entries: Entry[]): Promise<Results> {
  const results: Results = new Map();
  const firstOfKey = new Map<string, Entry>();
  const repeats: Entry[] = [];
  let remaining: Entry[] = [];
  for (const entry of entries) {
    const key = idempotencyKey(entry.message);
    if (firstOfKey.has(key)) {
      repeats.push(entry);
    } else {
      firstOfKey.set(key, entry);
      remaining.push(entry);
    }
  }

  while (remaining.length > 0) {
    let docs: MessageDoc[];
    let outcome;
    try {
      docs = await placeAll(remaining);
      outcome = await insertMessagesInOrder(docs);
    } catch (error) {
      // Nobody knows how many were stored: re-read positions next time; a retry of any of them is a repeat.
      for (const entry of remaining) {
        forgetPositions(entry.message.conversationId);
        results.set(entry, { error });
      }
      remaining = [];
      break;
    }
    for (let i = 0; i < outcome.stored; i += 1) {
      const doc = docs[i]!;
      results.set(remaining[i]!, { message: toMessageDto(doc), duplicate: false });
      rememberPositions(doc.conversationId, { seq: doc.seq, version: doc.version });
    }
    if (!outcome.failure) break;
    const refused = remaining[outcome.failure.index]!;
    remaining = remaining.slice(outcome.failure.index + 1);
    const retry = await settleRefused(refused, outcome.failure.error, results);
    if (retry) remaining.unshift(refused);
  }

  for (const entry of repeats) {
    const first = results.get(firstOfKey.get(idempotencyKey(entry.message))!);
    results.set(entry, first && "message" in first ? { message: first.message, duplicate: true } : (first ?? { error: new Error("lost") }));
  }
  return results;
}

/** Decides the refused entry: true when it lost its position to another process and goes again. */
async function settleRefused(entry: Entry, error: { code: number; message: string }, results: Results): Promise<boolean> {
  const { conversationId } = entry.message;
  if (!isDuplicateKeyError(error)) {
    forgetPositions(conversationId);
    results.set(entry, { error: Object.assign(new Error(error.message), { code: error.code }) });
    return false;
  }
  try {
    // A repeat (its own idempotency key conflicted) says nothing about the positions: keep them.
    const settled = await entry.onConflict();
    if (settled !== null) {
      results.set(entry, settled);
      return false;
    }
  } catch (cause) {
    results.set(entry, { error: cause });
    return false;
  }
  forgetPositions(conversationId);
  entry.conflicts += 1;
  if (entry.conflicts >= MAX_ATTEMPTS) {
    results.set(entry, { error: new AppError("UNAVAILABLE", "The conversation is too busy right now, please retry") });
    return false;
  }
  // Spread competing processes apart a little before the next round.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * entry.conflicts));
  return true;
}

/** The documents for `entries`: per conversation, the next positions in arrival order. */
async function placeAll(entries: Entry[]): Promise<MessageDoc[]> {
  const ids = new Map(entries.map((entry) => [hex(entry.message.conversationId), entry.message.conversationId]));
  const next = new Map<string, Positions>();
  await Promise.all([...ids].map(async ([key, id]) => next.set(key, await highestPositions(id))));
  const createdAt = new Date();
  return entries.map(({ message }) => {
    const key = hex(message.conversationId);
    const last = next.get(key)!;
    const positions = { seq: last.seq + 1, version: last.version + 1 };
    next.set(key, positions);
    return { ...message, _id: new ObjectId(), ...positions, createdAt };
  });
}

/**
 * Moves each conversation's lastMessage once, to the highest message the batch stored or found
 * there (also for a repeat: it may complete a send whose follow-ups were not done), then settles
 * that conversation's callers.
 */
async function finish(entries: Entry[], results: Results): Promise<void> {
  const byConversation = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = hex(entry.message.conversationId);
    byConversation.set(key, [...(byConversation.get(key) ?? []), entry]);
  }
  await Promise.all(
    [...byConversation.values()].map(async (group) => {
      const sent = group.flatMap((entry) => {
        const result = results.get(entry);
        return result && "message" in result ? [result.message] : [];
      });
      const highest = sent.reduce<SentMessage["message"] | null>((top, message) => (top && top.seq >= message.seq ? top : message), null);
      let failed: unknown = null;
      if (highest) {
        await advanceLastMessage({
          id: group[0]!.message.conversationId,
          lastMessage: {
            seq: highest.seq,
            kind: highest.kind,
            senderId: new ObjectId(highest.senderId),
            senderName: highest.senderName,
            preview: previewOf(highest.text),
            createdAt: new Date(highest.createdAt),
          },
        }).catch((error: unknown) => (failed = error ?? new Error("lastMessage not advanced")));
      }
      for (const entry of group) {
        const result = results.get(entry);
        if (!result) entry.reject(new Error("message batch: no outcome"));
        else if ("error" in result) entry.reject(result.error);
        else if (failed !== null) entry.reject(failed);
        else entry.resolve(result);
      }
    }),
  );
}
