// How a conversation's changes get their order.
//
// Every message takes seq = highest stored seq + 1 and every change takes version = highest
// stored version + 1; the unique indexes on (conversationId, seq) and (conversationId, version)
// decide between concurrent writers, and the loser re-reads and tries again. So:
//  - a position is taken only by a write that is visible, so versions become visible in order
//    and a reader that has seen version v has seen every change up to v (sync can trust it).
//    A counter document ($inc) would hand out positions before their writes are visible: a
//    reader could see v + 1 while v is still being written, and skip v for good.
// Within one process, writes to one conversation queue up, so retries only happen between
// processes (the web app and the socket servers). New messages may instead be written in
// batches (message-batch.ts), which hold the queues of their conversations while they write.
//
// Each process remembers the positions it last wrote per conversation and starts from there,
// re-reading only after a conflict: a send costs no read of the positions. A remembered position
// can only be behind the truth, never ahead (positions only grow, and it is set only after our
// own write succeeded), and being behind costs one conflict.
import type { ObjectId } from "mongodb";
import { onDbUnavailable } from "../db/client";
import { getHighestPositions, isDuplicateKeyError } from "../db/messages";
import { AppError } from "../errors";

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task with the same key in this process has settled. A task
 * still waiting when the database is found not answering gives up without running, with a
 * retryable UNAVAILABLE: otherwise it would wait out the stalled task ahead of it before failing
 * on its own. The queue's order is kept: later tasks still wait for the stalled one.
 */
export function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let gaveUp = false;
  let giveUp: (error: Error) => void = () => undefined;
  const abandoned = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  const stopWatching = onDbUnavailable((error) => {
    gaveUp = true;
    giveUp(error);
  });
  const run = previous.then(() => {
    stopWatching();
    return gaveUp ? undefined : task();
  });
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  // When it gave up, `abandoned` has already rejected, so `run`'s undefined never wins the race.
  return Promise.race([run as Promise<T>, abandoned]);
}

/**
 * Takes a place in `key`'s queue for work done elsewhere (a batch of writes to several
 * conversations): resolves once every earlier task with that key has settled, and keeps the
 * place until `until` settles. Rejects, like serialize, when the database is found not answering
 * while it waits.
 */
export function holdQueue(key: string, until: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    serialize(key, () => {
      resolve();
      return until;
    }).catch(reject);
  });
}

export const MAX_ATTEMPTS = 25;

export type Positions = { seq: number; version: number };

const KNOWN_MAX = 10_000;
const known = new Map<string, Positions>();

/** The highest seq this process has written in the conversation (0 when it has not written there). */
export function knownSeq(conversationId: ObjectId): number {
  return known.get(conversationId.toHexString())?.seq ?? 0;
}

function remember(key: string, positions: Positions) {
  if (known.size >= KNOWN_MAX && !known.has(key)) known.clear();
  known.set(key, positions);
}

/** The highest positions taken in the conversation: what this process remembers, or else what is stored. */
export async function highestPositions(conversationId: ObjectId): Promise<Positions> {
  return known.get(conversationId.toHexString()) ?? (await getHighestPositions({ conversationId }));
}

/** After our own write of these positions succeeded (they are visible): start from them next time. */
export function rememberPositions(conversationId: ObjectId, positions: Positions): void {
  remember(conversationId.toHexString(), positions);
}

/** After a conflict or an unknown outcome: re-read the stored positions next time. */
export function forgetPositions(conversationId: ObjectId): void {
  known.delete(conversationId.toHexString());
}

/**
 * Takes the next positions and performs `write` with them; when another process took them
 * first (a duplicate key on seq or version), tries again with fresh ones. `onConflict` tells a
 * conflict on the write's own idempotency key apart, which ends the loop instead.
 */
export async function writeAtNextPosition<T>({
  conversationId,
  write,
  onConflict,
}: {
  conversationId: ObjectId;
  write: (positions: Positions) => Promise<T>;
  /** Called on a duplicate key: returns a result to stop (e.g. the message already exists), or null to retry. */
  onConflict: () => Promise<T | null>;
}): Promise<T> {
  const key = conversationId.toHexString();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const highest = known.get(key) ?? (await getHighestPositions({ conversationId }));
    const next = { seq: highest.seq + 1, version: highest.version + 1 };
    try {
      const result = await write(next);
      remember(key, next);
      return result;
    } catch (error) {
      if (!isDuplicateKeyError(error)) {
        known.delete(key);
        throw error;
      }
      // A repeat (its own idempotency key conflicted) says nothing about the positions: keep them.
      const settled = await onConflict();
      if (settled !== null) return settled;
      known.delete(key);
      // Spread competing processes apart a little before the next round.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
  }
  throw new AppError("UNAVAILABLE", "The conversation is too busy right now, please retry");
}

/**
 * Takes the next version (not a seq) and performs `write` with it: for a change to a stored
 * message. `write` answers null when the message changed under it (its compare-and-set on the
 * message's old version failed, or another process's write replaced it): that is a conflict
 * like a duplicate key, and both retry with fresh positions and a fresh read of the message.
 */
export async function writeAtNextVersion<T>({
  conversationId,
  write,
}: {
  conversationId: ObjectId;
  write: (version: number) => Promise<T | null>;
}): Promise<T> {
  const key = conversationId.toHexString();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const highest = known.get(key) ?? (await getHighestPositions({ conversationId }));
    const version = highest.version + 1;
    let result: T | null;
    try {
      result = await write(version);
    } catch (error) {
      known.delete(key);
      if (!isDuplicateKeyError(error)) throw error;
      result = null;
    }
    if (result !== null) {
      // The seq stays whatever we knew: a lower bound is all the cache promises.
      remember(key, { seq: highest.seq, version });
      return result;
    }
    known.delete(key);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
  }
  throw new AppError("UNAVAILABLE", "The conversation is too busy right now, please retry");
}
