import { randomUUID } from "node:crypto";
import { HIDDEN_PREVIEW } from "../schemas/previews";
import type { ObjectId } from "mongodb";
import {
  getConversationByKey,
  getConversationsByIds,
  insertConversation,
  type ConversationDoc,
} from "../db/conversations";
import { getConversationIdsByUsers, getMembershipsByConversations, getMembershipsByUser, insertMemberships, type MembershipDoc } from "../db/memberships";
import { isDuplicateKeyError } from "../db/messages";
import { summarizeUnread } from "../db/unread";
import { getReadReceipts, getUsersByIds } from "../db/users";
import { AppError, notFound } from "../errors";
import { createConversationSchema } from "../schemas/conversation";
import type { ConversationDto, ConversationSummary, MemberDto } from "../schemas/dto";
import { toConversationDto } from "./dto";
import { toRoomInfo } from "./room-dto";
import { oid, parseInput, type Actor } from "./ids";
import { requireMemberConversation } from "./membership";
import { visibleReadSeq } from "./settings";

const UNREAD_CAP = 100;

export type CreatedConversation = { conversation: ConversationDto; memberIds: string[]; created: boolean };

/** Opens the one direct conversation of a pair (creating it once), or creates a named group. */
export async function createConversation({ userId, input }: Actor & { input: unknown }): Promise<CreatedConversation> {
  const data = parseInput(createConversationSchema, input);
  const me = oid(userId);

  const otherIds = data.kind === "direct" ? [data.userId] : [...new Set(data.memberIds)].filter((id) => id !== userId);
  if (data.kind === "direct" && data.userId === userId) throw new AppError("VALIDATION", "You cannot start a conversation with yourself");
  if (data.kind === "group" && otherIds.length < 2) throw new AppError("VALIDATION", "Pick at least two other people for a group");
  const others = await getUsersByIds({ ids: otherIds.map(oid) });
  if (others.length !== otherIds.length) throw notFound("User");

  const key = data.kind === "direct" ? `dm:${[userId, data.userId].sort().join(":")}` : `group:${randomUUID()}`;
  const now = new Date();
  let conversation: ConversationDoc;
  let created = true;
  try {
    conversation = await insertConversation({
      kind: data.kind,
      key,
      name: data.kind === "group" ? data.name : null,
      createdBy: me,
      createdAt: now,
      lastMessage: null,
      lastActivityAt: now,
    });
  } catch (error) {
    // Two people opening the same DM at once: the unique key lets exactly one insert win.
    if (!isDuplicateKeyError(error) || data.kind !== "direct") throw error;
    const existing = await getConversationByKey({ key });
    if (!existing) throw error;
    conversation = existing;
    created = false;
  }

  const memberIds = [me, ...others.map((user) => user._id)];
  // Also run for an existing DM: it repairs a creation that stopped between the two inserts.
  await insertMemberships(
    memberIds.map((id) => ({
      conversationId: conversation._id,
      userId: id,
      role: id.equals(me) && data.kind === "group" ? "owner" : "member",
      joinedAt: now,
      lastDeliveredSeq: 0,
      lastReadSeq: 0,
      muted: false,
    })),
  );
  const [dto] = await describeConversations({ viewer: me, conversations: [conversation] });
  return { conversation: dto!, memberIds: memberIds.map((id) => id.toHexString()), created };
}

/** The viewer's conversations, most recent activity first, with member names and unread counts. */
export async function listConversations({ userId }: Actor): Promise<ConversationDto[]> {
  const me = oid(userId);
  const memberships = await getMembershipsByUser({ userId: me });
  const conversations = await getConversationsByIds({ ids: memberships.map((m) => m.conversationId) });
  return describeConversations({ viewer: me, conversations, viewerMemberships: memberships });
}

export async function getConversation({ userId, input }: Actor & { input: { conversationId: string } }): Promise<ConversationDto> {
  const me = oid(userId);
  const conversationId = oid(input.conversationId);
  const { membership, conversation } = await requireMemberConversation({ conversationId, userId: me });
  const [dto] = await describeConversations({ viewer: me, conversations: [conversation], viewerMemberships: [membership] });
  return dto!;
}

/** Ids of the conversations a user belongs to: the socket server joins their rooms from this. */
export async function listConversationIds({ userId }: Actor): Promise<string[]> {
  return (await conversationIdsOf({ userIds: [userId] }))[0]!;
}

/** The same for many users in one read (connections arriving together), in the order asked. */
export async function conversationIdsOf({ userIds }: { userIds: string[] }): Promise<string[][]> {
  const byUser = await getConversationIdsByUsers({ userIds: userIds.map(oid) });
  return userIds.map((userId) => (byUser.get(userId) ?? []).map((id) => id.toHexString()));
}

/** The members of each conversation, with their names and the watermarks `viewer` may see, keyed by conversation id. */
async function membersOf(allMemberships: MembershipDoc[], viewer: ObjectId | null): Promise<Map<string, MemberDto[]>> {
  const users = await getUsersByIds({ ids: [...new Map(allMemberships.map((m) => [m.userId.toHexString(), m.userId])).values()] });
  const names = new Map(users.map((u) => [u._id.toHexString(), u.name]));
  const avatars = new Map(users.filter((u) => u.avatar).map((u) => [u._id.toHexString(), u.avatar!]));
  const receipts = new Map(users.map((u) => [u._id.toHexString(), u.settings?.readReceipts !== false]));
  const viewerId = viewer?.toHexString();
  // The viewer's own setting, even when they are in none of these conversations' member lists.
  const viewerSees = viewer ? { id: viewerId!, readReceipts: receipts.get(viewerId!) ?? (await getReadReceipts({ id: viewer })) } : null;
  const byConversation = new Map<string, MemberDto[]>();
  for (const m of allMemberships) {
    const key = m.conversationId.toHexString();
    const list = byConversation.get(key) ?? [];
    const avatar = avatars.get(m.userId.toHexString());
    list.push({
      id: m.userId.toHexString(),
      name: names.get(m.userId.toHexString()) ?? "Unknown",
      ...(avatar ? { avatar } : {}),
      role: m.role,
      deliveredSeq: Math.max(m.lastDeliveredSeq, m.lastReadSeq),
      readSeq: visibleReadSeq({
        memberId: m.userId.toHexString(),
        readSeq: m.lastReadSeq,
        memberReceipts: receipts.get(m.userId.toHexString()) ?? true,
        viewer: viewerSees,
      }),
    });
    byConversation.set(key, list);
  }
  return byConversation;
}

/** What every member may see of a conversation, with nothing viewer-specific: what `conversation:updated` carries. */
export async function summarizeConversation(conversation: ConversationDoc): Promise<ConversationSummary> {
  const members = await membersOf(await getMembershipsByConversations({ conversationIds: [conversation._id] }), null);
  const id = conversation._id.toHexString();
  const room = conversation.kind === "room" ? { room: toRoomInfo(conversation) } : {};
  return { id, kind: conversation.kind, name: conversation.name, ...room, members: members.get(id) ?? [] };
}

export async function describeConversations({
  viewer,
  conversations,
  viewerMemberships,
}: {
  viewer: ObjectId;
  conversations: ConversationDoc[];
  viewerMemberships?: MembershipDoc[];
}): Promise<ConversationDto[]> {
  const allMemberships = await getMembershipsByConversations({ conversationIds: conversations.map((c) => c._id) });
  const members = await membersOf(allMemberships, viewer);
  const mine = new Map(
    (viewerMemberships ?? allMemberships.filter((m) => m.userId.equals(viewer))).map((m) => [m.conversationId.toHexString(), m]),
  );
  // Counted from the messages themselves, never from the cached lastMessage; and the newest
  // message deleted for the viewer alone is not previewed to them (the others still see it).
  const queries = conversations.map((c) => ({
    conversationId: c._id,
    afterSeq: mine.get(c._id.toHexString())?.lastReadSeq ?? 0,
    previewSeq: c.lastMessage?.seq ?? 0,
  }));
  const summaries = await summarizeUnread({ viewer, queries, cap: UNREAD_CAP });

  return conversations.map((conversation) => {
    const key = conversation._id.toHexString();
    const membership = mine.get(key);
    const summary = summaries.get(key);
    const dto = toConversationDto(conversation, members.get(key) ?? [], {
      unreadCount: summary?.unread ?? 0,
      lastReadSeq: membership?.lastReadSeq ?? 0,
      markedUnread: membership?.markedUnread === true,
      unreadMentions: summary?.mentions ?? 0,
      muted: membership?.muted === true,
    });
    return summary?.previewHidden && dto.lastMessage ? { ...dto, lastMessage: { ...dto.lastMessage, preview: HIDDEN_PREVIEW } } : dto;
  });
}
