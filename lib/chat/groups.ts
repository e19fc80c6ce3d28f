// Group management: rename, add a member, remove a member or leave, name admins. Any member may
// rename and add; the owner and admins remove plain members, the owner also admins; only the
// owner names admins; anyone may leave. Rooms (lib/chat/rooms.ts) are managed by the same
// functions, with two differences: only their owners and admins (and server admins) rename them
// or add people, and each membership change moves the room's stored member count. Each change is recorded as a
// system message in the conversation, so it reaches every member through the same delivery,
// sync and history as any message.
import { randomUUID } from "node:crypto";
import type { ObjectId } from "mongodb";
import { getConversationById, incrementMemberCount, setConversationName, setRoomFields, type ConversationDoc } from "../db/conversations";
import {
  deleteMembership,
  getMembership,
  getMembershipsByConversations,
  insertMembership,
  setMembershipRole,
  type MembershipDoc,
} from "../db/memberships";
import { getHighestPositions } from "../db/messages";
import { getUsersByIds } from "../db/users";
import { AppError, notFound } from "../errors";
import { GROUP_MEMBERS_MAX, memberChangeSchema, memberRoleSchema, renameConversationSchema } from "../schemas/conversation";
import type { ConversationDto, ConversationSummary, MessageDto, RoomDto } from "../schemas/dto";
import { getRole } from "../db/admins";
import { appendMessage } from "./append";
import { untouched } from "./new-message";
import { describeConversations, summarizeConversation } from "./conversations";
import { oid, parseInput, type Actor } from "./ids";
import { requireMemberConversation } from "./membership";
import { raiseOwnReadSeq } from "./receipts";
import { directoryFields, isListed, toRoomDto, toRoomInfo } from "./room-dto";

/**
 * What a change did, for the transports to fan out: `conversation` to the remaining members,
 * each added member their own view of it, and each removed member only that they were removed.
 */
export type GroupChange = {
  changed: boolean;
  conversation: ConversationSummary;
  added: { userId: string; conversation: ConversationDto }[];
  removedUserIds: string[];
  message: MessageDto | null;
  /**
   * A room the directory lists, or listed until this change: every signed-in client hears it as
   * `room:updated` (its count, name, topic, or that it left the directory). Absent otherwise.
   */
  room?: RoomDto;
};

type Person = { _id: ObjectId; name: string };

async function requireGroup(userId: string, conversationId: string) {
  const me = oid(userId);
  const { membership, conversation } = await requireMemberConversation({ conversationId: oid(conversationId), userId: me });
  if (conversation.kind === "direct") throw new AppError("FORBIDDEN", "The members and name of a direct conversation cannot change");
  const [actor] = await getUsersByIds({ ids: [me] });
  if (!actor) throw notFound("User");
  return { membership, conversation, actor };
}

/** Rooms: their owners and admins, and server admins, manage them; a group's members all may. */
export async function mayManage(conversation: ConversationDoc, role: MembershipDoc["role"] | null, userId: ObjectId): Promise<boolean> {
  if (conversation.kind !== "room" || role === "owner" || role === "admin") return true;
  return (await getRole({ id: userId })) === "admin";
}

const noun = (conversation: ConversationDoc) => (conversation.kind === "room" ? "room" : "group");

export async function recordChange(conversation: ConversationDoc, actor: Person, text: string, { actorIsMember = true } = {}) {
  const { message } = await appendMessage({
    message: {
      conversationId: conversation._id,
      senderId: actor._id,
      senderName: actor.name,
      clientMsgId: randomUUID(),
      kind: "system",
      text,
      ...untouched(),
    },
    // A fresh clientMsgId cannot collide: a duplicate key here is always a position taken by another writer.
    onConflict: async () => null,
  });
  if (actorIsMember) await raiseOwnReadSeq({ conversationId: conversation._id, userId: actor._id, seq: message.seq });
  return message;
}

/**
 * Above this many members, a room's changes carry the members who came and went (`memberDelta`)
 * instead of the whole list: a join in a room of 1,000 then reads no other membership, and its
 * one broadcast to the room is a few hundred bytes rather than every member's name for every socket.
 */
export const FULL_MEMBER_LIST_MAX = 64;

/** What a change says of the conversation: every member, or for a large room only who came and went. */
async function summaryOf(current: ConversationDoc, change: Pick<GroupChange, "added" | "removedUserIds">, rolesChanged: boolean): Promise<ConversationSummary> {
  if (current.kind !== "room" || rolesChanged || (current.memberCount ?? 0) <= FULL_MEMBER_LIST_MAX) return summarizeConversation(current);
  const added = change.added.flatMap(({ userId, conversation }) => conversation.members.filter((m) => m.id === userId));
  return { id: current._id.toHexString(), kind: "room", name: current.name, room: toRoomInfo(current), members: [], memberDelta: { added, removed: change.removedUserIds } };
}

/**
 * `wasListed`: whether the room was in the directory before the change, so a room leaving it is
 * announced too; `rolesChanged`: someone's role moved (a hand-over, a new admin), which only the
 * whole member list tells. A room is read again first: its member count moves under concurrent changes.
 */
export async function changed(
  conversation: ConversationDoc,
  change: Omit<GroupChange, "changed" | "conversation">,
  { wasListed = false, rolesChanged = false } = {},
): Promise<GroupChange> {
  const current = conversation.kind === "room" ? ((await getConversationById({ id: conversation._id })) ?? conversation) : conversation;
  const room = current.kind === "room" && (wasListed || isListed(current)) ? { room: toRoomDto(current) } : {};
  return { changed: true, conversation: await summaryOf(current, change, rolesChanged), ...change, ...room };
}

export async function unchanged(conversation: ConversationDoc): Promise<GroupChange> {
  const none = { added: [], removedUserIds: [] };
  return { changed: false, conversation: await summaryOf(conversation, none, false), ...none, message: null };
}

export async function renameConversation({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(renameConversationSchema, input);
  const { conversation, membership, actor } = await requireGroup(userId, data.conversationId);
  if (!(await mayManage(conversation, membership.role, actor._id))) throw new AppError("FORBIDDEN", "Only the room's owner and admins can rename it");
  if (conversation.name === data.name) return unchanged(conversation);
  const renamed = { ...conversation, name: data.name };
  if (conversation.kind === "room") await setRoomFields({ id: conversation._id, fields: { name: data.name, ...directoryFields(renamed) } });
  else await setConversationName({ id: conversation._id, name: data.name });
  const message = await recordChange(renamed, actor, `${actor.name} renamed the ${noun(conversation)} to “${data.name}”`);
  return changed(renamed, { added: [], removedUserIds: [], message }, { wasListed: isListed(conversation) });
}

export async function addMember({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(memberChangeSchema, input);
  const { conversation, membership, actor } = await requireGroup(userId, data.conversationId);
  if (!(await mayManage(conversation, membership.role, actor._id))) throw new AppError("FORBIDDEN", "Only the room's owner and admins can add people; anyone may join a public room");
  const [person] = await getUsersByIds({ ids: [oid(data.userId)] });
  if (!person) throw notFound("User");
  const members = await getMembershipsByConversations({ conversationIds: [conversation._id] });
  if (members.some((m) => m.userId.equals(person._id))) return unchanged(conversation);
  if (conversation.kind === "group" && members.length >= GROUP_MEMBERS_MAX + 1) throw new AppError("VALIDATION", `A group has at most ${GROUP_MEMBERS_MAX + 1} members`);

  // They see the history, but start with nothing unread but the news that they were added.
  const { seq } = await getHighestPositions({ conversationId: conversation._id });
  const inserted = await insertMembership({
    conversationId: conversation._id,
    userId: person._id,
    role: "member",
    joinedAt: new Date(),
    lastDeliveredSeq: seq,
    lastReadSeq: seq,
    muted: false,
  });
  // Someone else added them a moment ago: that add recorded it.
  if (!inserted) return unchanged(conversation);
  if (conversation.kind === "room") await incrementMemberCount({ id: conversation._id, by: 1 });
  const message = await recordChange(conversation, actor, `${actor.name} added ${person.name}`);
  const current = (await getConversationById({ id: conversation._id })) ?? conversation;
  const [view] = await describeConversations({ viewer: person._id, conversations: [current] });
  return changed(current, { added: [{ userId: data.userId, conversation: view! }], removedUserIds: [], message });
}

/** Removes a member (the owner: anyone; an admin: plain members), or leaves when the member is oneself. */
export async function removeMember({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(memberChangeSchema, input);
  const { conversation, membership, actor } = await requireGroup(userId, data.conversationId);
  const leaving = data.userId === userId;
  if (!leaving && membership.role === "member") throw new AppError("FORBIDDEN", "Only the group's owner and admins can remove members");
  if (!leaving) {
    const target = await getMembership({ conversationId: conversation._id, userId: oid(data.userId) });
    if (!target) throw notFound("Member");
    if (membership.role === "admin" && target.role !== "member") throw new AppError("FORBIDDEN", "Only the group's owner can remove an admin or the owner");
  }

  const [person] = leaving ? [actor] : await getUsersByIds({ ids: [oid(data.userId)] });
  const removed = person ? await deleteMembership({ conversationId: conversation._id, userId: person._id }) : false;
  // Not a member (or removed a moment ago by a concurrent request, which recorded it).
  if (!person || !removed) throw notFound("Member");
  if (conversation.kind === "room") await incrementMemberCount({ id: conversation._id, by: -1 });

  const handedOver = leaving && membership.role === "owner";
  if (handedOver) await handOverOwnership(conversation._id);
  const text = leaving ? `${actor.name} left` : `${actor.name} removed ${person.name}`;
  const message = await recordChange(conversation, actor, text, { actorIsMember: !leaving });
  return changed(conversation, { added: [], removedUserIds: [person._id.toHexString()], message }, { wasListed: isListed(conversation), rolesChanged: handedOver });
}

/** The owner makes a member an admin or an admin a plain member again. */
export async function setMemberRole({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(memberRoleSchema, input);
  const { conversation, membership, actor } = await requireGroup(userId, data.conversationId);
  if (membership.role !== "owner") throw new AppError("FORBIDDEN", "Only the group's owner can name admins");
  const target = await getMembership({ conversationId: conversation._id, userId: oid(data.userId) });
  if (!target) throw notFound("Member");
  if (target.role === "owner") throw new AppError("FORBIDDEN", "The owner's role does not change; the owner hands the group over by leaving");
  if (target.role === data.role) return unchanged(conversation);
  await setMembershipRole({ conversationId: conversation._id, userId: target.userId, role: data.role });
  const [person] = await getUsersByIds({ ids: [target.userId] });
  const name = person?.name ?? "Someone";
  const text = data.role === "admin" ? `${actor.name} made ${name} an admin` : `${actor.name} made ${name} a member again`;
  const message = await recordChange(conversation, actor, text);
  return changed(conversation, { added: [], removedUserIds: [], message }, { rolesChanged: true });
}

/** An owner who leaves hands the group (or room) to the longest-standing admin, or else member. */
async function handOverOwnership(conversationId: ObjectId): Promise<void> {
  // Every membership, also of a large room: rare (only an owner leaving), and the hand-over needs them all.
  const remaining = await getMembershipsByConversations({ conversationIds: [conversationId] });
  if (remaining.some((m) => m.role === "owner")) return;
  // Ties (everyone a group was created with joined at once) go to the earliest-created membership.
  const byTenure = (a: MembershipDoc, b: MembershipDoc) =>
    Number(b.role === "admin") - Number(a.role === "admin") ||
    a.joinedAt.getTime() - b.joinedAt.getTime() ||
    a._id.toHexString().localeCompare(b._id.toHexString());
  const [successor] = [...remaining].sort(byTenure);
  if (successor) await setMembershipRole({ conversationId, userId: successor.userId, role: "owner" });
}
