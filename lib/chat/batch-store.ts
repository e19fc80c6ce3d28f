// How a batch of new messages is stored (message-batch.ts decides what goes into a batch): in
// rounds of one ordered insertMany, each at fresh positions per conversation, in arrival order.
// An ordered insert stops at the first message a unique index refuses, with the ones before it
// stored: the refused one is a repeat of a stored message (its `onConflict` answers), or another
// process took its position first (it and the rest go again with re-read positions).
import { ObjectId } from "mongodb";
import { insertMessagesInOrder, isDuplicateKeyError, type MessageDoc } from "../db/messages";
import { AppError } from "../errors";
import { toMessageDto } from "./dto";
import type { NewMessage, SentMessage } from "./new-message";
import { forgetPositions, highestPositions, MAX_ATTEMPTS, rememberPositions, type Positions } from "./sequencer";

export type Entry = {
  message: NewMessage;
  onConflict: () => Promise<SentMessage | null>;
  resolve: (sent: SentMessage) => void;
  reject: (error: unknown) => void;
  stopWatching: () => void;
  /** Times another process took the positions this message was about to use. */
  conflicts: number;
};

export const hex = (id: ObjectId) => id.toHexString();
const idempotencyKey = ({ conversationId, senderId, clientMsgId }: NewMessage) => `${hex(conversationId)}:${hex(senderId)}:${clientMsgId}`;

/** Per send, what became of it; `stored`: the message as this batch stored it (not for a repeat). */
export type Results = Map<Entry, (SentMessage & { stored?: MessageDoc }) | { error: unknown }>;

/**
 * Stores every entry once, in rounds: each round inserts what is left at fresh positions and
 * stops at the first refusal, which is settled (a repeat, another error) or tried again. A
 * repeat of a key already in the batch is not inserted: it gets the first one's message.
 */
export async function storeAll(entries: Entry[]): Promise<Results> {
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
      results.set(remaining[i]!, { message: toMessageDto(doc), duplicate: false, stored: doc });
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

