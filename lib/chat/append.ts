import { advanceLastMessage } from "../db/conversations";
import { insertMessage, type MessageDoc } from "../db/messages";
import { getServerEnv } from "../env";
import { scheduleIndexing } from "../search/indexer";
import { messagePreview, toMessageDto } from "./dto";
import { createMessageBatcher, type MessageBatcher } from "./message-batch";
import type { NewMessage, SentMessage } from "./new-message";
import { serialize, writeAtNextPosition } from "./sequencer";

let batcher: { windowMs: number; writer: MessageBatcher } | undefined;

/**
 * Appends one message to its conversation at the next seq and version, then moves the list's
 * lastMessage forward; resolves once both are stored. `onConflict` answers a duplicate on the
 * message's own idempotency key (see writeAtNextPosition). With MESSAGE_WRITE_BATCH_MS above 0
 * the message is written together with the others of a short window (message-batch.ts);
 * otherwise alone, in its conversation's queue.
 */
export function appendMessage({
  message,
  onConflict,
}: {
  message: NewMessage;
  onConflict: () => Promise<SentMessage | null>;
}): Promise<SentMessage> {
  const windowMs = getServerEnv().MESSAGE_WRITE_BATCH_MS;
  if (windowMs === 0) return appendAlone(message, onConflict);
  if (batcher?.windowMs !== windowMs) batcher = { windowMs, writer: createMessageBatcher({ windowMs }) };
  return batcher.writer.append(message, onConflict);
}

function appendAlone(message: NewMessage, onConflict: () => Promise<SentMessage | null>): Promise<SentMessage> {
  const { conversationId } = message;
  return serialize(`conversation:${conversationId.toHexString()}`, async () => {
    const createdAt = new Date();
    let written: MessageDoc | null = null;
    const stored = await writeAtNextPosition({
      conversationId,
      write: async ({ seq, version }) => {
        written = await insertMessage({ ...message, seq, version, createdAt });
        return { message: toMessageDto(written), duplicate: false };
      },
      onConflict,
    });
    // Also for a repeat: it may retry a send whose message was stored but whose follow-ups were
    // not (the database went away in between, or the insert ran late, after its sender had been
    // told UNAVAILABLE). The follow-ups only ever raise, so doing them again changes nothing else.
    const { message: dto } = stored;
    await advanceLastMessage({
      id: conversationId,
      lastMessage: {
        seq: dto.seq,
        kind: message.kind,
        senderId: message.senderId,
        senderName: dto.senderName,
        preview: messagePreview(dto),
        createdAt: new Date(dto.createdAt),
      },
      version: dto.version,
    });
    // A repeat is caught up from the database: its first send may not have reached the indexer.
    scheduleIndexing(conversationId, stored.duplicate || !written ? [] : [written]);
    return stored;
  });
}
