import type { ObjectId } from "mongodb";
import { getMembership, type MembershipDoc } from "../db/memberships";
import { notFound } from "../errors";

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
