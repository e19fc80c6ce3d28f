import { advanceLastMessage, allocateSeq } from "../db/conversations";
import { raiseReadSeq } from "../db/memberships";
import {
  getMessageByClientId,
  getMessageById,
  getMessagesBefore,
  getMessagesChangedSince,
  insertMessage,
  isDuplicateKeyError,
} from "../db/messages";
import { getUsersByIds } from "../db/users";
import { notFound } from "../errors";
import type { MessageDto, MessagePage, SyncResult } from "../schemas/dto";
import { historySchema, markReadSchema, sendMessageSchema, SYNC_MAX, syncSchema } from "../schemas/message";
import { previewOf, toMessageDto } from "./dto";
import { oid, parseInput, type Actor } from "./ids";
import { requireMemberConversation, requireMembership } from "./membership";

export type SentMessage = { message: MessageDto; duplicate: boolean };

/**
 * Stores a message exactly once per (conversation, sender, clientMsgId), whatever path or
 * instance it arrives through; a repeat returns the stored message with duplicate: true.
 */
export async function sendMessage({ userId, input }: Actor & { input: unknown }): Promise<SentMessage> {
  const data = parseInput(sendMessageSchema, input);
  const conversationId = oid(data.conversationId);
  const senderId = oid(userId);
  await requireMembership({ conversationId, userId: senderId });

  const key = { conversationId, senderId, clientMsgId: data.clientMsgId };
  const existing = await getMessageByClientId(key);
  if (existing) return { message: toMessageDto(existing), duplicate: true };

  const replyTo = data.replyTo ? oid(data.replyTo) : null;
  if (replyTo) {
    const original = await getMessageById({ id: replyTo });
    if (!original || !original.conversationId.equals(conversationId)) throw notFound("Message");
  }
  const [sender] = await getUsersByIds({ ids: [senderId] });
  const allocated = await allocateSeq({ id: conversationId });
  if (!allocated || !sender) throw notFound();

  const now = new Date();
  let stored;
  try {
    stored = await insertMessage({
      ...key,
      seq: allocated.seq,
      version: allocated.version,
      senderName: sender.name,
      kind: "text",
      text: data.text,
      replyTo,
      mentions: [],
      reactions: [],
      hiddenFor: [],
      createdAt: now,
      editedAt: null,
      deletedAt: null,
    });
  } catch (error) {
    // A concurrent retry of the same message won the unique index: answer with its copy.
    // The seq taken here stays unused; nothing relies on seq being contiguous.
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await getMessageByClientId(key);
    if (!winner) throw error;
    return { message: toMessageDto(winner), duplicate: true };
  }

  await Promise.all([
    advanceLastMessage({
      id: conversationId,
      lastMessage: { seq: stored.seq, senderId, senderName: sender.name, preview: previewOf(stored.text), createdAt: now },
    }),
    // The sender has read everything up to their own message.
    raiseReadSeq({ conversationId, userId: senderId, seq: stored.seq }),
  ]);
  return { message: toMessageDto(stored), duplicate: false };
}

/** A page of history, returned oldest first; `before` is an exclusive seq. */
export async function listMessages({ userId, input }: Actor & { input: unknown }): Promise<MessagePage> {
  const data = parseInput(historySchema, input);
  const conversationId = oid(data.conversationId);
  const { conversation } = await requireMemberConversation({ conversationId, userId: oid(userId) });
  const rows = await getMessagesBefore({ conversationId, before: data.before, limit: data.limit + 1 });
  const hasMore = rows.length > data.limit;
  return { messages: rows.slice(0, data.limit).reverse().map(toMessageDto), hasMore, version: conversation.version };
}

/**
 * Every message changed after `sinceVersion`, in version order. The returned `version` is the
 * point to sync from next time: the conversation's version read before the query, or, when the
 * answer was cut at SYNC_MAX, the last version returned.
 */
export async function syncMessages({ userId, input }: Actor & { input: unknown }): Promise<SyncResult> {
  const data = parseInput(syncSchema, input);
  const conversationId = oid(data.conversationId);
  const { conversation } = await requireMemberConversation({ conversationId, userId: oid(userId) });
  const rows = await getMessagesChangedSince({ conversationId, sinceVersion: data.sinceVersion, limit: SYNC_MAX + 1 });
  const hasMore = rows.length > SYNC_MAX;
  const page = rows.slice(0, SYNC_MAX);
  const lastReturned = page.at(-1)?.version ?? data.sinceVersion;
  const version = hasMore ? lastReturned : Math.max(conversation.version, lastReturned, data.sinceVersion);
  return { messages: page.map(toMessageDto), version, hasMore };
}

export type ReadResult = { conversationId: string; userId: string; lastReadSeq: number; changed: boolean };

/** Raises the reader's watermark to `seq` (capped at the conversation's last seq). */
export async function markRead({ userId, input }: Actor & { input: unknown }): Promise<ReadResult> {
  const data = parseInput(markReadSchema, input);
  const conversationId = oid(data.conversationId);
  const me = oid(userId);
  const { membership, conversation } = await requireMemberConversation({ conversationId, userId: me });
  const seq = Math.min(data.seq, conversation.lastSeq);
  const changed = seq > 0 ? await raiseReadSeq({ conversationId, userId: me, seq }) : false;
  // The watermark only rises, so this is its value now (or a concurrent higher one we need not report).
  return { conversationId: data.conversationId, userId, lastReadSeq: Math.max(membership.lastReadSeq, seq), changed };
}
