import type { ObjectId } from "mongodb";
import { getConversationById, type ConversationDoc } from "../db/conversations";
import { getMembership, type MembershipDoc } from "../db/memberships";
import { AppError, notFound } from "../errors";
import { oid } from "./ids";

/** Authorization for every conversation action: not a member reads as "not found", so existence does not leak. */
export async function requireMembership({
  conversationId,
  userId,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
}): Promise<MembershipDoc> {
  const membership = await getMembership({ conversationId, userId });
  if (!membership) throw notFound();
  return membership;
}

/** Membership check plus the conversation itself: what every read of a conversation starts with. */
export async function requireMemberConversation({
  conversationId,
  userId,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
}): Promise<{ membership: MembershipDoc; conversation: ConversationDoc }> {
  const membership = await requireMembership({ conversationId, userId });
  const conversation = await getConversationById({ id: conversationId });
  if (!conversation) throw notFound();
  return { membership, conversation };
}

/** Whether the user belongs to the conversation now (for re-checks; actions use requireMembership). */
export async function isMemberOf({ userId, conversationId }: { userId: string; conversationId: string }): Promise<boolean> {
  return (await getMembership({ conversationId: oid(conversationId), userId: oid(userId) })) !== null;
}

/**
 * An archived room is read-only: no sends, edits, reactions or pins. Checked after (or beside)
 * the membership check, so that a non-member still learns only "not found".
 */
export async function requireWritable({ conversationId }: { conversationId: ObjectId }): Promise<void> {
  const conversation = await getConversationById({ id: conversationId });
  if (conversation?.archivedAt) throw new AppError("FORBIDDEN", "This room is archived: it is read-only");
}
