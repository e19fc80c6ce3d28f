import {
  getMessageByClientId,
  getMessageById,
  getMessagesAfter,
  getMessagesBefore,
  getMessagesInVersionRange,
  getHighestPositions,
  getPinnedMessages,
} from "../db/messages";
import type { MessageDoc } from "../db/messages";
import { getUsersByIds } from "../db/users";
import type { ObjectId } from "mongodb";
import { getMembershipsByConversations } from "../db/memberships";
import { AppError, notFound } from "../errors";
import type { MessagePage, SyncResult } from "../schemas/dto";
import { historySchema, sendMessageSchema, SYNC_MAX, syncSchema } from "../schemas/message";
import { appendMessage } from "./append";
import { claimAttachments, markAttached } from "./files";
import { toMessageDto } from "./dto";
import { oid, parseInput, type Actor } from "./ids";
import { requireMembership, requireWritable } from "./membership";
import type { SentMessage } from "./new-message";
import { raiseOwnReadSeq } from "./receipts";
import { replyPreviewOf, withReplyPreviews } from "./replies";

export type { SentMessage };

const PINNED_MAX = 50;

/**
 * Stores a message exactly once per (conversation, sender, clientMsgId), whatever path or
 * instance it arrives through; a repeat returns the stored message with duplicate: true.
 * `senderName`: the name the transport authenticated the sender under (the realtime token, the
 * session), which saves reading the user on every send; without it, the stored name is read.
 */
export async function sendMessage({ userId, input, senderName }: Actor & { input: unknown; senderName?: string }): Promise<SentMessage> {
  const data = parseInput(sendMessageSchema, input);
  const conversationId = oid(data.conversationId);
  const senderId = oid(userId);
  // Side by side: the archive check costs a send no extra round trip. Membership decides first.
  const [membership, writable] = await Promise.allSettled([requireMembership({ conversationId, userId: senderId }), requireWritable({ conversationId })]);
  if (membership.status === "rejected") throw membership.reason;
  if (writable.status === "rejected") throw writable.reason;

  const key = { conversationId, senderId, clientMsgId: data.clientMsgId };
  const replyTo = data.replyTo ? oid(data.replyTo) : null;
  const original = replyTo ? await getMessageById({ id: replyTo }) : null;
  if (replyTo && (!original || !original.conversationId.equals(conversationId))) throw notFound("Message");
  const mentions = await checkMentions(conversationId, data.mentions ?? []);
  const attachments = data.attachments
    ? await claimAttachments({ senderId, conversationId, clientMsgId: data.clientMsgId, fileIds: data.attachments })
    : undefined;
  const sender = senderName ? { name: senderName } : (await getUsersByIds({ ids: [senderId] }))[0];
  if (!sender) throw notFound("User");

  const findExisting = async () => {
    const existing = await getMessageByClientId(key);
    return existing ? { message: toMessageDto(existing), duplicate: true } : null;
  };

  // No lookup first: a repeat fails the insert on its (conversation, sender, clientMsgId) unique
  // index, and onConflict then answers with the stored copy (also when a concurrent retry won).
  const result = await appendMessage({
    message: {
      ...key,
      senderName: sender.name,
      kind: "text",
      text: data.text,
      ...(attachments ? { attachments } : {}),
      replyTo,
      mentions,
      reactions: [],
      hiddenFor: [],
      editedAt: null,
      deletedAt: null,
    },
    onConflict: findExisting,
  });

  // Also on a repeat: the first try may have stopped between storing the message and this.
  const sent = result.message.attachments ?? [];
  if (sent.length > 0) await markAttached({ messageId: oid(result.message.id), fileIds: sent.map((file) => oid(file.id)) });
  // The sender has read everything up to their own message.
  await raiseOwnReadSeq({ conversationId, userId: senderId, id: membership.value._id, seq: result.message.seq });
  return original ? { ...result, message: { ...result.message, replyPreview: replyPreviewOf(original) } } : result;
}

/** Mentions name members of the conversation only (each once); anyone else is a clear VALIDATION error. */
async function checkMentions(conversationId: ObjectId, ids: string[]): Promise<ObjectId[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const members = new Set((await getMembershipsByConversations({ conversationIds: [conversationId] })).map((m) => m.userId.toHexString()));
  if (!unique.every((id) => members.has(id))) throw new AppError("VALIDATION", "mentions: you can only mention members of this conversation");
  return unique.map(oid);
}

/**
 * A page of history, returned oldest first: the newest page; or the page below `before` (an
 * exclusive seq); or the page above `after` (exclusive), for a window that stops short of the
 * end; or a window `around` a seq (half of it at or below that message). Every read is a bounded
 * seq range (lib/db/messages.ts).
 */
export async function listMessages({ userId, input }: Actor & { input: unknown }): Promise<MessagePage> {
  const data = parseInput(historySchema, input);
  const conversationId = oid(data.conversationId);
  await requireMembership({ conversationId, userId: oid(userId) });
  // Read first: every change up to this version is visible, so syncing from it misses nothing.
  const { seq, version } = await getHighestPositions({ conversationId });
  const view = (doc: MessageDoc) => toMessageDto(doc, userId);
  const dtos = (docs: MessageDoc[]) => withReplyPreviews(docs.map(view));
  let page: MessagePage;
  if (data.after !== undefined) {
    const rows = await getMessagesAfter({ conversationId, after: data.after, limit: data.limit + 1, through: seq });
    // Older than this page: everything up to `after`, when it is not the very start.
    page = { messages: await dtos(rows.slice(0, data.limit)), hasMore: data.after > 0, hasNewer: rows.length > data.limit, version };
  } else if (data.around !== undefined) {
    const at = Math.min(data.around, seq);
    const olderCount = Math.ceil(data.limit / 2);
    const newerCount = data.limit - olderCount;
    const [older, newer] = await Promise.all([
      getMessagesBefore({ conversationId, before: at + 1, limit: olderCount + 1 }),
      getMessagesAfter({ conversationId, after: at, limit: newerCount + 1, through: seq }),
    ]);
    const messages = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, newerCount)];
    page = { messages: await dtos(messages), hasMore: older.length > olderCount, hasNewer: newer.length > newerCount, version };
  } else {
    // A `before` past the end reads from the end: the window starts at what exists.
    const rows = await getMessagesBefore({ conversationId, before: Math.min(data.before ?? Infinity, seq + 1), limit: data.limit + 1 });
    page = { messages: await dtos(rows.slice(0, data.limit).reverse()), hasMore: rows.length > data.limit, version };
  }
  // A first page (the newest, or a window around a message) carries every pin, also of messages
  // far older than itself, for the pinned-messages bar.
  if (data.before === undefined && data.after === undefined) {
    page.pinned = (await getPinnedMessages({ conversationId, limit: PINNED_MAX })).map(view).filter((m) => !m.hidden);
  }
  return page;
}

/**
 * Every message changed after `sinceVersion`, in version order, at most SYNC_MAX versions at a
 * time: the range (sinceVersion, sinceVersion + SYNC_MAX] on the (conversationId, version) index.
 * The returned `version` is the point to sync from next time: the end of the range read.
 * Versions become visible in order (lib/chat/sequencer.ts), so everything up to the highest
 * visible version, and so up to that end, has been seen.
 */
export async function syncMessages({ userId, input }: Actor & { input: unknown }): Promise<SyncResult> {
  const data = parseInput(syncSchema, input);
  const conversationId = oid(data.conversationId);
  await requireMembership({ conversationId, userId: oid(userId) });
  const { version: highest } = await getHighestPositions({ conversationId });
  const through = Math.min(highest, data.sinceVersion + SYNC_MAX);
  const rows = await getMessagesInVersionRange({ conversationId, after: data.sinceVersion, through });
  const version = Math.max(data.sinceVersion, through);
  return { messages: await withReplyPreviews(rows.map((doc) => toMessageDto(doc, userId))), version, hasMore: version < highest };
}
