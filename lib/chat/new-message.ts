// What a message writer hands in and gets back, shared by the two ways a new message is stored:
// alone (append.ts) or in a batch (message-batch.ts, batch-store.ts). Kept apart so that those
// modules depend on these types, not on each other.
import type { MessageDoc } from "../db/messages";
import type { MessageDto } from "../schemas/dto";

export type SentMessage = { message: MessageDto; duplicate: boolean };

/** A message as its writer describes it; the writer adds the conversation's next positions and the time. */
export type NewMessage = Omit<MessageDoc, "_id" | "seq" | "version" | "createdAt">;

/** What a message the server writes by itself (a group change, a call's entry) starts with: no reply, mentions, reactions or edits. */
export function untouched(): Pick<NewMessage, "replyTo" | "mentions" | "reactions" | "hiddenFor" | "editedAt" | "deletedAt"> {
  return { replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null };
}
