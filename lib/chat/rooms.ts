// Public rooms (DESIGN.md "Public rooms"): conversations of kind "room" that anyone signed in may
// find in the directory, preview read-only, join and leave. Membership changes go through the
// group machinery (lib/chat/groups.ts): the same system messages, the same fan-out that moves every
// socket of the person on every socket server, the same owner hand-over; a room adds its stored
// member count, moved with `$inc` right after the membership write that succeeded.
import { randomUUID } from "node:crypto";
import {
  getConversationById,
  getListedRooms,
  incrementMemberCount,
  insertConversation,
  setRoomFields,
  type ConversationDoc,
  type RoomFields,
} from "../db/conversations";
import { getMembership, getMembershipsByUser, insertMemberships, insertMembership } from "../db/memberships";
import { getHighestPositions, getMessagesBefore } from "../db/messages";
import { getRole } from "../db/admins";
import { getUsersByIds } from "../db/users";
import { getServerEnv } from "../env";
import { AppError, notFound } from "../errors";
import type { ConversationDto, DirectoryRoomDto, RoomDto, RoomPreviewDto } from "../schemas/dto";
import { createRoomSchema, directorySchema, roomRefSchema, updateRoomSchema } from "../schemas/room";
import { describeConversations } from "./conversations";
import { toMessageDto } from "./dto";
import { changed, mayManage, recordChange, removeMember, unchanged, type GroupChange } from "./groups";
import { oid, parseInput, type Actor } from "./ids";
import { withReplyPreviews } from "./replies";
import { directoryFields, isListed, toRoomDto } from "./room-dto";
import { directoryQuery, nameTerms } from "./room-terms";

const DIRECTORY_LIMIT = 100;
/** A name search reads at most this many rooms that have the query's longest word, before checking the rest of the words. */
const DIRECTORY_SCAN_LIMIT = 500;
const PREVIEW_MESSAGES = 30;

export type CreatedRoom = { conversation: ConversationDto; room: RoomDto; memberIds: string[] };

async function actorOf(userId: string) {
  const [actor] = await getUsersByIds({ ids: [oid(userId)] });
  if (!actor) throw notFound("User");
  return actor;
}

/** The room, if the user may see it from outside: listed, or one they belong to; otherwise it looks missing. */
async function requireVisibleRoom(userId: string, conversationId: string): Promise<{ room: ConversationDoc; joined: boolean }> {
  const room = await getConversationById({ id: oid(conversationId) });
  if (!room || room.kind !== "room") throw notFound("Room");
  const joined = (await getMembership({ conversationId: room._id, userId: oid(userId) })) !== null;
  if (!joined && !isListed(room)) throw notFound("Room");
  return { room, joined };
}

/** Creates a room with its creator as owner and only member. ROOM_CREATION=admins keeps it to server admins. */
export async function createRoom({ userId, input }: Actor & { input: unknown }): Promise<CreatedRoom> {
  const data = parseInput(createRoomSchema, input);
  const me = oid(userId);
  if (getServerEnv().ROOM_CREATION === "admins" && (await getRole({ id: me })) !== "admin") {
    throw new AppError("FORBIDDEN", "Only server admins can create rooms here");
  }
  const actor = await actorOf(userId);
  const now = new Date();
  const base = { name: data.name, visibility: data.public ? ("public" as const) : ("private" as const), archivedAt: null };
  const doc = await insertConversation({
    kind: "room",
    key: `room:${randomUUID()}`,
    ...base,
    topic: data.topic,
    memberCount: 1,
    // Only a listed room carries the directory's fields (an absent field, not a null one).
    ...(isListed(base) ? { listed: true as const, nameTerms: nameTerms(data.name) } : {}),
    createdBy: me,
    createdAt: now,
    lastMessage: null,
    lastActivityAt: now,
  });
  await insertMemberships([{ conversationId: doc._id, userId: me, role: "owner", joinedAt: now, lastDeliveredSeq: 0, lastReadSeq: 0, muted: false }]);
  await recordChange(doc, actor, `${actor.name} created the room`);
  const current = (await getConversationById({ id: doc._id })) ?? doc;
  const [conversation] = await describeConversations({ viewer: me, conversations: [current] });
  return { conversation: conversation!, room: toRoomDto(current), memberIds: [userId] };
}

/** The directory: listed rooms by activity or size, optionally those whose name has words starting with `q`; each with a Joined badge. */
export async function listDirectory({ userId, input }: Actor & { input: unknown }): Promise<DirectoryRoomDto[]> {
  const data = parseInput(directorySchema, input);
  const query = directoryQuery(data.q);
  const found = await getListedRooms({ term: query?.term ?? null, sort: data.sort, limit: DIRECTORY_LIMIT, scanLimit: DIRECTORY_SCAN_LIMIT });
  const rooms = query ? found.filter((room) => query.matches(room.name ?? "")) : found;
  // The viewer's memberships, from the (userId, conversationId) index: a Joined badge each.
  const mine = new Set((await getMembershipsByUser({ userId: oid(userId) })).map((m) => m.conversationId.toHexString()));
  return rooms.map((room) => ({ ...toRoomDto(room), joined: mine.has(room._id.toHexString()) }));
}

/**
 * A read-only look at a listed room (or one's own): its name, topic, count and a page of recent
 * messages. The previewer is not a member and is not counted; nothing of the members is shown but
 * what the messages say (names as senders), never their watermarks or addresses.
 */
export async function previewRoom({ userId, input }: Actor & { input: unknown }): Promise<RoomPreviewDto> {
  const data = parseInput(roomRefSchema, input);
  const { room, joined } = await requireVisibleRoom(userId, data.conversationId);
  const { seq } = await getHighestPositions({ conversationId: room._id });
  const rows = await getMessagesBefore({ conversationId: room._id, before: seq + 1, limit: PREVIEW_MESSAGES });
  const messages = await withReplyPreviews(rows.reverse().map((doc) => toMessageDto(doc)));
  return { room: { ...toRoomDto(room), joined }, messages };
}

/**
 * Joins a listed room: one membership however often it is asked (the unique index decides between
 * concurrent joins), one "Ana joined", and the count moved once. An archived or private room, or
 * one that does not exist, is NOT_FOUND alike.
 */
export async function joinRoom({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(roomRefSchema, input);
  const room = await getConversationById({ id: oid(data.conversationId) });
  if (!room || room.kind !== "room" || !isListed(room)) throw notFound("Room");
  const me = oid(userId);
  if (await getMembership({ conversationId: room._id, userId: me })) return unchanged(room);
  const actor = await actorOf(userId);
  // They see the history, and start with nothing unread but the news that they joined.
  const { seq } = await getHighestPositions({ conversationId: room._id });
  const now = new Date();
  const inserted = await insertMembership({ conversationId: room._id, userId: me, role: "member", joinedAt: now, lastDeliveredSeq: seq, lastReadSeq: seq, muted: false });
  if (!inserted) return unchanged(room);
  await incrementMemberCount({ id: room._id, by: 1 });
  const message = await recordChange(room, actor, `${actor.name} joined`);
  const current = (await getConversationById({ id: room._id })) ?? room;
  const [view] = await describeConversations({ viewer: me, conversations: [current] });
  return changed(current, { added: [{ userId, conversation: view! }], removedUserIds: [], message }, { wasListed: true });
}

/** Leaves a room: the group machinery's leave ("Ana left", the owner hands over), and the count moves. Not a member: NOT_FOUND. */
export async function leaveRoom({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(roomRefSchema, input);
  const room = await getConversationById({ id: oid(data.conversationId) });
  if (!room || room.kind !== "room") throw notFound("Room");
  return removeMember({ userId, input: { conversationId: data.conversationId, userId } });
}

/** Renames, re-topics, opens or closes, archives or restores a room: its owners and admins, and server admins. */
export async function updateRoom({ userId, input }: Actor & { input: unknown }): Promise<GroupChange> {
  const data = parseInput(updateRoomSchema, input);
  const me = oid(userId);
  const room = await getConversationById({ id: oid(data.conversationId) });
  if (!room || room.kind !== "room") throw notFound("Room");
  const membership = await getMembership({ conversationId: room._id, userId: me });
  if (!(await mayManage(room, membership?.role ?? null, me))) {
    // Not a member: as for every other conversation action, it looks missing; a member learns why.
    if (!membership) throw notFound("Room");
    throw new AppError("FORBIDDEN", "Only the room's owner and admins can change it");
  }
  const actor = await actorOf(userId);
  const next = {
    name: data.name ?? room.name,
    topic: data.topic ?? room.topic ?? "",
    visibility: data.public === undefined ? room.visibility : data.public ? ("public" as const) : ("private" as const),
    archivedAt: data.archived === undefined ? (room.archivedAt ?? null) : data.archived ? (room.archivedAt ?? new Date()) : null,
  };
  const notes = [
    next.name !== room.name && `renamed the room to “${next.name}”`,
    next.topic !== (room.topic ?? "") && (next.topic ? `changed the topic to “${next.topic}”` : "cleared the topic"),
    next.visibility !== room.visibility && (next.visibility === "public" ? "made the room public" : "made the room private"),
    Boolean(next.archivedAt) !== Boolean(room.archivedAt) && (next.archivedAt ? "archived the room" : "restored the room"),
  ].filter((note): note is string => typeof note === "string");
  if (notes.length === 0) return unchanged(room);
  const fields: RoomFields = { ...next, ...directoryFields(next) };
  await setRoomFields({ id: room._id, fields });
  const message = await recordChange({ ...room, ...next }, actor, `${actor.name} ${notes.join(", ")}`, { actorIsMember: membership !== null });
  return changed({ ...room, ...next }, { added: [], removedUserIds: [], message }, { wasListed: isListed(room) });
}
