import { advanceLastMessage } from "../db/conversations";
import { insertMessage, type MessageDoc } from "../db/messages";
import type { MessageDto } from "../schemas/dto";
import { previewOf, toMessageDto } from "./dto";
import { serialize, writeAtNextPosition } from "./sequencer";

export type SentMessage = { message: MessageDto; duplicate: boolean };

/** A message as its writer describes it; the conversation's next positions and the time are added here. */
export type NewMessage = Omit<MessageDoc, "_id" | "seq" | "version" | "createdAt">;

/**
 * Appends one message to its conversation: in that conversation's queue, at the next seq and
 * version, then moves the list's lastMessage forward. `onConflict` answers a duplicate on the
 * message's own idempotency key (see writeAtNextPosition).
 */
export function appendMessage({
  message,
  onConflict,
}: {
  message: NewMessage;
  onConflict: () => Promise<SentMessage | null>;
}): Promise<SentMessage> {
  const { conversationId } = message;
  return serialize(`conversation:${conversationId.toHexString()}`, async () => {
    const createdAt = new Date();
    const stored = await writeAtNextPosition({
      conversationId,
      write: ({ seq, version }) =>
        insertMessage({ ...message, seq, version, createdAt }).then((doc) => ({ message: toMessageDto(doc), duplicate: false })),
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
        preview: previewOf(dto.text),
        createdAt: new Date(dto.createdAt),
      },
    });
    return stored;
  });
}
