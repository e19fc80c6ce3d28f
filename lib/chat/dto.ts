import type { ConversationDoc } from "../db/conversations";
import type { MessageDoc } from "../db/messages";
import type { ConversationDto, MemberDto, MessageDto } from "../schemas/dto";

export function toMessageDto(doc: MessageDoc): MessageDto {
  const deleted = doc.deletedAt !== null;
  return {
    id: doc._id.toHexString(),
    conversationId: doc.conversationId.toHexString(),
    seq: doc.seq,
    version: doc.version,
    senderId: doc.senderId.toHexString(),
    senderName: doc.senderName,
    clientMsgId: doc.clientMsgId,
    kind: doc.kind,
    text: deleted ? "" : doc.text,
    replyTo: doc.replyTo ? doc.replyTo.toHexString() : null,
    // Filled in by withReplyPreviews where the original can be looked up.
    replyPreview: null,
    mentions: (doc.mentions ?? []).map((id) => id.toHexString()),
    createdAt: doc.createdAt.toISOString(),
    editedAt: doc.editedAt ? doc.editedAt.toISOString() : null,
    deletedAt: doc.deletedAt ? doc.deletedAt.toISOString() : null,
  };
}

export function toConversationDto(
  doc: ConversationDoc,
  members: MemberDto[],
  viewer: { unreadCount: number; lastReadSeq: number; markedUnread: boolean; unreadMentions: number; muted: boolean },
): ConversationDto {
  const last = doc.lastMessage;
  return {
    id: doc._id.toHexString(),
    kind: doc.kind,
    name: doc.name,
    members,
    lastSeq: last?.seq ?? 0,
    lastMessage: last
      ? {
          seq: last.seq,
          kind: last.kind ?? "text",
          senderId: last.senderId.toHexString(),
          senderName: last.senderName,
          preview: last.preview,
          createdAt: last.createdAt.toISOString(),
        }
      : null,
    createdAt: doc.createdAt.toISOString(),
    lastActivityAt: doc.lastActivityAt.toISOString(),
    unreadCount: viewer.unreadCount,
    lastReadSeq: viewer.lastReadSeq,
    markedUnread: viewer.markedUnread,
    unreadMentions: viewer.unreadMentions,
    muted: viewer.muted,
  };
}

const PREVIEW_MAX = 120;

export function previewOf(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > PREVIEW_MAX ? `${oneLine.slice(0, PREVIEW_MAX - 1)}…` : oneLine;
}
