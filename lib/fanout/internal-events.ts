// Writes that arrive over HTTP are announced to the socket server, the only broadcaster.
// The payload is ours end to end, but it still crosses a process boundary, so it is validated.
import { z } from "zod";
import type { ConversationDto, ConversationSummary, MessageDto, ProfileDto, RoomDto } from "../schemas/dto";

export const INTERNAL_EVENTS_PATH = "/internal/events";
export const INTERNAL_SECRET_HEADER = "x-parley-internal-secret";

export type InternalEvent =
  /** `duplicate`: a repeat of a stored message (announced again in case its first broadcast was lost): no push for it. */
  | { type: "message:created"; message: MessageDto; duplicate?: boolean }
  /** `userId` set: a delete for me, for that member's own sockets only. */
  | { type: "message:updated"; message: MessageDto; userId: string | null }
  | { type: "conversation:created"; conversation: ConversationDto; memberIds: string[] }
  | { type: "receipt"; conversationId: string; userId: string; deliveredSeq: number; readSeq: number; hideRead?: boolean }
  | { type: "settings:updated"; userId: string; readReceipts: boolean }
  | { type: "user:signed-out"; userId: string }
  /** A personal access token was revoked: the sockets opened with it close. */
  | { type: "token:revoked"; userId: string; tokenId: string }
  /** A profile picture changed: to the user's own sockets and every conversation they are in. */
  | { type: "user:updated"; user: ProfileDto; conversationIds: string[] }
  | { type: "conversation:marked"; userId: string; conversationId: string; markedUnread: boolean }
  | { type: "conversation:muted"; userId: string; conversationId: string; muted: boolean }
  | {
      type: "conversation:updated";
      conversation: ConversationSummary;
      added: { userId: string; conversation: ConversationDto }[];
      removedUserIds: string[];
      message: MessageDto | null;
      /** A listed room (or one that just left the directory): everyone hears room:updated. */
      room?: RoomDto;
    }
  /** A room was created: its creator's sockets join it, and when it is listed, everyone hears of it. */
  | { type: "room:created"; room: RoomDto; conversation: ConversationDto; memberIds: string[] };

const id = z.string().regex(/^[a-f0-9]{24}$/);
const message = z.looseObject({ id, conversationId: id, seq: z.number(), version: z.number() });

export const internalEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user:signed-out"), userId: id }),
  z.object({ type: z.literal("token:revoked"), userId: id, tokenId: id }),
  z.object({
    type: z.literal("user:updated"),
    user: z.object({ id, name: z.string(), avatar: id.nullable() }),
    conversationIds: z.array(id),
  }),
  z.object({ type: z.literal("conversation:marked"), userId: id, conversationId: id, markedUnread: z.boolean() }),
  z.object({ type: z.literal("conversation:muted"), userId: id, conversationId: id, muted: z.boolean() }),
  z.object({
    type: z.literal("message:created"),
    message,
    // Absent (an announcement from before push): treated as new.
    duplicate: z.boolean().optional(),
  }),
  z.object({ type: z.literal("message:updated"), message, userId: id.nullable() }),
  z.object({
    type: z.literal("conversation:updated"),
    conversation: z.looseObject({ id, members: z.array(z.looseObject({ id })) }),
    added: z.array(z.object({ userId: id, conversation: z.looseObject({ id }) })),
    removedUserIds: z.array(id),
    message: message.nullable(),
    room: z.looseObject({ id, listed: z.boolean() }).optional(),
  }),
  z.object({
    type: z.literal("room:created"),
    room: z.looseObject({ id, listed: z.boolean() }),
    conversation: z.looseObject({ id }),
    memberIds: z.array(id).min(1),
  }),
  z.object({
    type: z.literal("conversation:created"),
    conversation: z.looseObject({ id }),
    memberIds: z.array(id).min(1),
  }),
  z.object({
    type: z.literal("receipt"),
    conversationId: id,
    userId: id,
    deliveredSeq: z.number().int().min(0),
    readSeq: z.number().int().min(0),
    // Absent: an announcement from before the read-receipts setting; the watermark is shown.
    hideRead: z.boolean().optional(),
  }),
  z.object({ type: z.literal("settings:updated"), userId: id, readReceipts: z.boolean() }),
]);
