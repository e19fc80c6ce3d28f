// Receipts: each member's two watermarks in a conversation. Everything up to `deliveredSeq`
// reached one of their clients, everything up to `readSeq` was read. Both only rise, are capped
// at the conversation's last stored seq, and reading also delivers.
import type { ObjectId } from "mongodb";
import { raiseDeliveredSeq, raiseReadSeq } from "../db/memberships";
import { getHighestPositions } from "../db/messages";
import type { ReceiptEvent } from "../realtime/events";
import { markDeliveredSchema, markReadSchema } from "../schemas/message";
import { oid, parseInput, type Actor } from "./ids";
import { requireMembership } from "./membership";
import { serialize } from "./sequencer";

/** The member's watermarks after the call; `changed` says whether this call moved one (worth a broadcast). */
export type ReceiptResult = ReceiptEvent & { changed: boolean };

type Watermark = "delivered" | "read";

type MemberKey = { conversationId: ObjectId; userId: ObjectId };

// One member's watermark updates queue up in this process: FerretDB updates are not atomic.
const membershipQueue = ({ conversationId, userId }: MemberKey) => `membership:${conversationId.toHexString()}:${userId.toHexString()}`;

/** The sender has read (and so received) everything up to their own message. */
export function raiseOwnReadSeq(args: MemberKey & { seq: number }): Promise<boolean> {
  return serialize(membershipQueue(args), () => raiseReadSeq(args));
}

async function raiseWatermark({ userId, conversationId, seq, watermark }: Actor & { conversationId: string; seq: number; watermark: Watermark }): Promise<ReceiptResult> {
  const key = { conversationId: oid(conversationId), userId: oid(userId) };
  return serialize(membershipQueue(key), async () => {
    // Read inside the queue: no other update of this membership in this process can interleave,
    // so the values reported below are the stored ones (another process may only have raised them further).
    const membership = await requireMembership(key);
    const highest = await getHighestPositions({ conversationId: key.conversationId });
    const target = Math.min(seq, highest.seq);
    const raise = watermark === "read" ? raiseReadSeq : raiseDeliveredSeq;
    const changed = target > 0 && (await raise({ ...key, seq: target }));
    const readSeq = watermark === "read" ? Math.max(membership.lastReadSeq, target) : membership.lastReadSeq;
    const deliveredSeq = Math.max(membership.lastDeliveredSeq, readSeq, target);
    return { conversationId, userId, deliveredSeq, readSeq, changed };
  });
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
