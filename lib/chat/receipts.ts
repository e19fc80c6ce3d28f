// Receipts: each member's two watermarks in a conversation. Everything up to `deliveredSeq`
// reached one of their clients, everything up to `readSeq` was read. Both only rise, are capped
// at the conversation's last stored seq, and reading also delivers.
import type { ObjectId } from "mongodb";
import { getConversationById } from "../db/conversations";
import { raiseDeliveredSeq, raiseReadSeq, setMarkedUnread, setMuted } from "../db/memberships";
import { getHighestPositions } from "../db/messages";
import { getReadReceipts } from "../db/users";
import type { ReceiptEvent } from "../realtime/events";
import { markDeliveredSchema, markReadSchema, markUnreadSchema, muteSchema } from "../schemas/message";
import { oid, parseInput, type Actor } from "./ids";
import { requireMembership } from "./membership";
import { knownSeq } from "./sequencer";

/**
 * The member's watermarks after the call; `changed` says whether this call moved one (worth a
 * broadcast); `hideRead`: the member turned read receipts off, so only their own sockets may hear `readSeq`.
 */
export type ReceiptResult = ReceiptEvent & { changed: boolean; hideRead: boolean };

type Watermark = "delivered" | "read";

/**
 * `seq` capped at the conversation's last stored seq. Clients report seqs they have seen, so the
 * cheap bounds (what this process wrote, the conversation's lastMessage read by _id) almost
 * always suffice; only a seq above both costs a look at the newest messages.
 */
async function capAtLastSeq(conversationId: ObjectId, seq: number): Promise<number> {
  if (seq <= knownSeq(conversationId)) return seq;
  const conversation = await getConversationById({ id: conversationId });
  if (seq <= (conversation?.lastMessage?.seq ?? 0)) return seq;
  const highest = await getHighestPositions({ conversationId });
  return Math.min(seq, highest.seq);
}

type MemberKey = { conversationId: ObjectId; userId: ObjectId; id?: ObjectId };

// Every membership update below is one atomic conditional update (lib/db/memberships.ts): no
// queue is needed between concurrent receipts of one member, in this process or across processes.

/** The sender has read (and so received) everything up to their own message. */
export function raiseOwnReadSeq(args: MemberKey & { seq: number }): Promise<boolean> {
  return raiseReadSeq(args);
}

async function raiseWatermark({ userId, conversationId, seq, watermark }: Actor & { conversationId: string; seq: number; watermark: Watermark }): Promise<ReceiptResult> {
  const member = { conversationId: oid(conversationId), userId: oid(userId) };
  const membership = await requireMembership(member);
  const key = { ...member, id: membership._id };
  const target = await capAtLastSeq(key.conversationId, seq);
  const raise = watermark === "read" ? raiseReadSeq : raiseDeliveredSeq;
  const moved = target > 0 && (await raise({ ...key, seq: target }));
  // Reading clears "Mark as unread"; the receipt then tells the member's other tabs, even when no watermark moved.
  const cleared = watermark === "read" && membership.markedUnread === true && (await setMarkedUnread({ ...key, markedUnread: false }));
  const changed = moved || cleared;
  // At least these: a concurrent receipt may have raised them further, and its own broadcast says so.
  const readSeq = watermark === "read" ? Math.max(membership.lastReadSeq, target) : membership.lastReadSeq;
  const deliveredSeq = Math.max(membership.lastDeliveredSeq, readSeq, target);
  const hideRead = changed && !(await getReadReceipts({ id: key.userId }));
  return { conversationId, userId, deliveredSeq, readSeq, changed, hideRead };
}

/** Raises the reader's read and delivered watermarks to `seq` (capped at the conversation's last seq). */
export async function markRead({ userId, input }: Actor & { input: unknown }): Promise<ReceiptResult> {
  const data = parseInput(markReadSchema, input);
  return raiseWatermark({ userId, conversationId: data.conversationId, seq: data.seq, watermark: "read" });
}

/** Raises the member's delivered watermark to `seq` (capped at the conversation's last seq). */
export async function markDelivered({ userId, input }: Actor & { input: unknown }): Promise<ReceiptResult> {
  const data = parseInput(markDeliveredSchema, input);
  return raiseWatermark({ userId, conversationId: data.conversationId, seq: data.seq, watermark: "delivered" });
}

export type MarkUnreadResult = { conversationId: string; userId: string; markedUnread: boolean; changed: boolean };

/** "Mark as unread" (or undo it): a flag on the caller's own membership, cleared again by reading. */
export async function markUnread({ userId, input }: Actor & { input: unknown }): Promise<MarkUnreadResult> {
  const data = parseInput(markUnreadSchema, input);
  const member = { conversationId: oid(data.conversationId), userId: oid(userId) };
  const { _id: id } = await requireMembership(member);
  const changed = await setMarkedUnread({ ...member, id, markedUnread: data.unread });
  return { conversationId: data.conversationId, userId, markedUnread: data.unread, changed };
}

export type MuteResult = { conversationId: string; userId: string; muted: boolean; changed: boolean };

/** Mutes (or unmutes) a conversation for the caller alone: no toast, no browser notification for it. */
export async function muteConversation({ userId, input }: Actor & { input: unknown }): Promise<MuteResult> {
  const data = parseInput(muteSchema, input);
  const member = { conversationId: oid(data.conversationId), userId: oid(userId) };
  const { _id: id } = await requireMembership(member);
  const changed = await setMuted({ ...member, id, muted: data.muted });
  return { conversationId: data.conversationId, userId, muted: data.muted, changed };
}
