// What the conversation list needs from the messages of each conversation, read by bounded
// ranges on the messages' indexes (one small range per conversation, in parallel): no query here
// reads more than `cap` + 1 messages of a conversation, however long it is or however far behind
// the viewer's read watermark is. No `$or` across conversations: a plan per branch is not
// something every MongoDB-compatible server makes, and a range per conversation is on all of them.
import type { ObjectId } from "mongodb";
import { getDb } from "./client";
import type { MessageDoc } from "./messages";

export type UnreadQuery = {
  conversationId: ObjectId;
  /** The viewer's read watermark: messages above it are unread. */
  afterSeq: number;
  /** The seq the list previews (the conversation's lastMessage), 0 for none. */
  previewSeq: number;
};

/** Per conversation: unread messages from others and those mentioning the viewer (each at most `cap`), and whether the previewed message is deleted for the viewer. */
export type UnreadSummary = { unread: number; mentions: number; previewHidden: boolean };

type Row = Pick<MessageDoc, "seq" | "senderId" | "mentions" | "hiddenFor">;

const messages = async () => (await getDb()).collection<MessageDoc>("messages");

export async function summarizeUnread({ viewer, queries, cap }: { viewer: ObjectId; queries: UnreadQuery[]; cap: number }): Promise<Map<string, UnreadSummary>> {
  const entries = await Promise.all(queries.map(async (query) => [query.conversationId.toHexString(), await summarizeOne(viewer, query, cap)] as const));
  return new Map(entries);
}

async function summarizeOne(viewer: ObjectId, { conversationId, afterSeq, previewSeq }: UnreadQuery, cap: number): Promise<UnreadSummary> {
  const col = await messages();
  const projection = { seq: 1, senderId: 1, mentions: 1, hiddenFor: 1 };
  // The unread window (afterSeq, afterSeq + cap + 1], stretched down to the previewed message when
  // that is at or below the watermark (nothing unread, the usual case): one range answers both.
  const end = afterSeq + cap + 1;
  const start = previewSeq > 0 && previewSeq <= afterSeq ? previewSeq : afterSeq + 1;
  const rows = await col.find<Row>({ conversationId, seq: { $gte: start, $lte: end } }, { projection }).toArray();
  // Counted only through the previewed message, the lastSeq the list reports with the count: a
  // message stored a moment ago whose conversation has not moved its preview yet is counted by the
  // client when it hears it, and would otherwise be counted twice (once here, once live).
  const fromOthers = rows.filter((row) => row.seq > afterSeq && row.seq <= previewSeq && !row.senderId.equals(viewer));
  const unread = Math.min(fromOthers.length, cap);
  let mentions = fromOthers.filter((row) => row.mentions.some((id) => id.equals(viewer))).length;
  // More unread than the window holds: count the mentions further on by the mentions index.
  if (rows.some((row) => row.seq === end)) {
    mentions = await col.countDocuments({ conversationId, mentions: viewer, seq: { $gt: afterSeq, $lte: previewSeq } }, { limit: cap });
  }
  let preview = previewSeq > 0 ? rows.find((row) => row.seq === previewSeq) : undefined;
  if (previewSeq > end) preview = (await col.findOne<Row>({ conversationId, seq: previewSeq }, { projection })) ?? undefined;
  const previewHidden = preview?.hiddenFor.some((id) => id.equals(viewer)) ?? false;
  return { unread, mentions: Math.min(mentions, cap), previewHidden };
}
