import type { ConversationDoc } from "../db/conversations";
import type { MessageDoc } from "../db/messages";
import type { ConversationDto, MemberDto, MessageDto, ReactionDto } from "../schemas/dto";
import { toRoomInfo } from "./room-dto";

/** Each emoji once, in the order first used, with who reacted. */
function groupReactions(reactions: MessageDoc["reactions"]): ReactionDto[] {
  const byEmoji = new Map<string, string[]>();
  for (const { emoji, userId } of reactions) byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), userId.toHexString()]);
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }));
}

/**
 * A message as it leaves the server. `viewer`: for answers to one person (history, sync, their
 * own delete-for-me), whose hiding shows as `hidden` with nothing of the message but its place.
 * `hiddenFor` itself never leaves: it says who hid what.
 */
export function toMessageDto(doc: MessageDoc, viewer?: string): MessageDto {
  const hidden = viewer !== undefined && doc.hiddenFor.some((id) => id.toHexString() === viewer);
  const deleted = doc.deletedAt !== null || hidden;
  const dto: MessageDto = {
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
    reactions: deleted ? [] : groupReactions(doc.reactions),
    pinnedAt: doc.pinnedAt && !deleted ? doc.pinnedAt.toISOString() : null,
    pinnedBy: doc.pinnedBy && !deleted ? doc.pinnedBy.toHexString() : null,
  };
  if (doc.call && !deleted) dto.call = { ...doc.call, callerId: dto.senderId };
  if (doc.attachments?.length && !deleted) dto.attachments = doc.attachments.map(({ fileId, ...file }) => ({ id: fileId.toHexString(), ...file }));
  if (hidden) dto.hidden = true;
  return dto;
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
    ...(doc.kind === "room" ? { room: toRoomInfo(doc) } : {}),
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

// One preview for the server and the browser's live updates (lib/schemas/previews.ts).
export { messagePreview } from "../schemas/previews";

const MASK = "•••";

/**
 * "ben.smith@example.com" → "b•••h@e•••.com": the first and last letter of the local part, the
 * first letter of the domain and its top-level label. That tells "the Ben at work" from "the Ben
 * from school" to someone who knows their addresses, without handing a name search a list of
 * addresses to write to (or to try passwords against). Short parts show less: "bo@x.io" → "b•••@x•••.io".
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = [...email.slice(0, at)];
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const host = dot > 0 ? [...domain.slice(0, dot)] : [...domain];
  const tld = dot > 0 ? domain.slice(dot) : "";
  const maskedLocal = local.length > 3 ? `${local[0]}${MASK}${local.at(-1)}` : `${local[0] ?? ""}${MASK}`;
  return `${maskedLocal}@${host[0] ?? ""}${MASK}${tld}`;
}
