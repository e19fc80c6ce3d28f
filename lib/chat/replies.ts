// Replies quote their original: the excerpt is resolved when messages are read, so it follows the
// original's edits and deletion, and shows even when the original is far back in the history.
import { getMessagesByIds, type MessageDoc } from "../db/messages";
import { oid } from "./ids";
import type { MessageDto, ReplyPreview } from "../schemas/dto";

const EXCERPT_MAX = 100;

export function replyPreviewOf(original: MessageDoc): ReplyPreview {
  const oneLine = original.deletedAt ? "" : original.text.replace(/\s+/g, " ").trim();
  const excerpt = oneLine.length > EXCERPT_MAX ? `${oneLine.slice(0, EXCERPT_MAX - 1)}…` : oneLine;
  return { id: original._id.toHexString(), seq: original.seq, senderName: original.senderName, excerpt };
}

/** Adds each reply's preview: one query for all the originals of a page (only those of the same conversation count). */
export async function withReplyPreviews(messages: MessageDto[]): Promise<MessageDto[]> {
  const ids = [...new Set(messages.map((m) => m.replyTo).filter((id): id is string => id !== null))];
  if (ids.length === 0) return messages;
  const originals = new Map((await getMessagesByIds({ ids: ids.map(oid) })).map((doc) => [doc._id.toHexString(), doc]));
  return messages.map((message) => {
    const original = message.replyTo ? originals.get(message.replyTo) : undefined;
    if (!original || original.conversationId.toHexString() !== message.conversationId) return message;
    return { ...message, replyPreview: replyPreviewOf(original) };
  });
}
