// New messages written in batches: the sends that arrive within a short window, or while their
// conversation's previous batch is being written, are stored with one ordered insertMany across
// conversations (batch-store.ts), and each conversation's list preview moves once per batch. A
// database does one insertMany of a few hundred messages for about the cost of a few insertOnes
// (scripts/bench/writes.ts measures it), so this is what lets a process keep up under load.
//
// The invariants are those of the one-by-one path (append.ts, sequencer.ts):
//  - per conversation, seq and version go up by one per message in the order the sends arrived:
//    a conversation is in at most one batch at a time, and its sends wait in arrival order;
//  - a batch holds the queues of its conversations (edits in this process wait for it, as they
//    wait for a send today), each until that conversation's lastMessage has moved;
//  - each caller's promise settles only after its own message is stored and its conversation's
//    lastMessage moved past it, so an ack still means stored;
//  - a send still waiting for a batch when the database is found not answering gives up with a
//    retryable UNAVAILABLE, as one waiting in a conversation's queue does; a batch already
//    writing is not cut short.
import { ObjectId } from "mongodb";
import { onDbUnavailable } from "../db/client";
import { advanceLastMessage } from "../db/conversations";
import { scheduleIndexing } from "../search/indexer";
import { hex, storeAll, type Entry, type Results } from "./batch-store";
import { messagePreview } from "./dto";
import type { NewMessage, SentMessage } from "./new-message";
import { holdQueue } from "./sequencer";

export type MessageBatcher = { append(message: NewMessage, onConflict: () => Promise<SentMessage | null>): Promise<SentMessage> };

// Batches written at once, each with other conversations. A bound on what one process asks of
// the database at a time; a conversation's next batch starts as soon as its previous one is done.
const BATCHES_IN_FLIGHT = 4;

/**
 * `windowMs`: how long the first send of a batch waits for others; `maxBatch`: messages per
 * insertMany at most (a bound that keeps one insert far from the driver's 2 s socket timeout on
 * the embedded database even on a loaded machine, and is still one insert for a few hundred sends).
 */
export function createMessageBatcher({ windowMs, maxBatch = 500 }: { windowMs: number; maxBatch?: number }): MessageBatcher {
  let pending: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  const busy = new Set<string>();

  const schedule = () => {
    if (timer === undefined && pending.some((entry) => !busy.has(hex(entry.message.conversationId)))) timer = setTimeout(flush, windowMs);
  };

  function flush() {
    timer = undefined;
    if (inFlight >= BATCHES_IN_FLIGHT) return;
    // Arrival order is kept: once a conversation's send stays behind, so do its later ones.
    const batch: Entry[] = [];
    const rest: Entry[] = [];
    for (const entry of pending) (busy.has(hex(entry.message.conversationId)) || batch.length >= maxBatch ? rest : batch).push(entry);
    if (batch.length === 0) return;
    pending = rest;
    for (const entry of batch) {
      entry.stopWatching();
      busy.add(hex(entry.message.conversationId));
    }
    inFlight += 1;
    const done = (conversation: string) => {
      busy.delete(conversation);
      schedule();
    };
    void writeBatch(batch, done).finally(() => {
      inFlight -= 1;
      schedule();
    });
    schedule();
  }

  return {
    append(message, onConflict) {
      return new Promise<SentMessage>((resolve, reject) => {
        const entry: Entry = { message, onConflict, resolve, reject, stopWatching: () => undefined, conflicts: 0 };
        pending.push(entry);
        // Called at once when the database is known down now.
        entry.stopWatching = onDbUnavailable((error) => {
          if (!pending.includes(entry)) return;
          pending = pending.filter((other) => other !== entry);
          reject(error);
        });
        // Only a send that can go now starts the window: the others go when their conversation's batch is done.
        if (timer === undefined && !busy.has(hex(message.conversationId))) timer = setTimeout(flush, windowMs);
      });
    },
  };
}

/**
 * Writes one batch while holding the queues of its conversations; `done` is told of each
 * conversation once its part is settled (stored, its lastMessage moved, its callers answered).
 */
async function writeBatch(batch: Entry[], done: (conversation: string) => void): Promise<void> {
  const groups = new Map<string, Entry[]>();
  for (const entry of batch) {
    const id = hex(entry.message.conversationId);
    groups.set(id, [...(groups.get(id) ?? []), entry]);
  }
  const releases = new Map<string, () => void>();
  const free = (id: string) => {
    const release = releases.get(id);
    if (!release) return;
    releases.delete(id);
    release();
    done(id);
  };
  try {
    const held = await Promise.all(
      [...groups].map(async ([id, group]) => {
        const released = new Promise<void>((resolve) => releases.set(id, resolve));
        try {
          await holdQueue(`conversation:${id}`, released);
          return group;
        } catch (error) {
          for (const entry of group) entry.reject(error);
          free(id);
          return [];
        }
      }),
    );
    const results = await storeAll(held.flat());
    await Promise.all(
      held.filter((group) => group.length > 0).map(async (group) => {
        try {
          await finishConversation(group, results);
        } finally {
          free(hex(group[0]!.message.conversationId));
        }
      }),
    );
  } catch (error) {
    for (const entry of batch) entry.reject(error);
  } finally {
    for (const id of [...releases.keys()]) free(id);
  }
}

/**
 * Moves the conversation's lastMessage once, to the highest message the batch stored or found
 * there (also for a repeat: it may complete a send whose follow-ups were not done), then settles
 * its callers. When that move fails they are told so: their messages are stored, and a retry
 * (a repeat) completes it.
 */
async function finishConversation(group: Entry[], results: Results): Promise<void> {
  const sent = group.flatMap((entry) => {
    const result = results.get(entry);
    return result && "message" in result ? [result.message] : [];
  });
  const highest = sent.reduce<SentMessage["message"] | null>((top, message) => (top && top.seq >= message.seq ? top : message), null);
  let failed: unknown = null;
  if (highest) {
    try {
      await advanceLastMessage({
        id: group[0]!.message.conversationId,
        lastMessage: {
          seq: highest.seq,
          kind: highest.kind,
          senderId: new ObjectId(highest.senderId),
          senderName: highest.senderName,
          preview: messagePreview(highest),
          createdAt: new Date(highest.createdAt),
        },
        version: highest.version,
      });
      const stored = group.flatMap((entry) => {
        const result = results.get(entry);
        return result && "stored" in result && result.stored ? [result.stored] : [];
      });
      scheduleIndexing(group[0]!.message.conversationId, stored);
    } catch (error) {
      failed = error;
    }
  }
  for (const entry of group) {
    const result = results.get(entry);
    if (!result) entry.reject(new Error("message batch: no outcome for a message"));
    else if ("error" in result) entry.reject(result.error);
    else if (failed !== null) entry.reject(failed);
    else entry.resolve({ message: result.message, duplicate: result.duplicate });
  }
}
