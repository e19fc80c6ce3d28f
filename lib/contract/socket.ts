// The socket, described once for the AsyncAPI document and the /docs/api page: every
// client→server request with the schema its handler's core parses and the data of its ack, every
// server→client event with its payload. Keyed by the event maps of lib/realtime/events.ts, so the
// compiler refuses a missing or unknown event; test/unit/contract.test.ts also holds these to
// CLIENT_EVENTS and SERVER_EVENTS, and each schema's type to the event map's.
import { z } from "../schemas/zod";
import {
  callAnswerSchema,
  callConnectedSchema,
  callHangupSchema,
  callInviteSchema,
  callRejectSchema,
  callResumeSchema,
  callSignalBodySchema,
  callSignalSchema,
} from "../schemas/call";
import { typingSchema, visibilitySchema } from "../schemas/conversation";
import {
  callDtoSchema,
  conversationDtoSchema,
  conversationSummarySchema,
  messageDtoSchema,
  presenceDtoSchema,
  profileDtoSchema,
  roomDtoSchema,
  searchResultSchema,
  syncResultSchema,
} from "../schemas/dto";
import { UPLOAD_ACTIVITIES } from "../schemas/file";
import { deleteMessageSchema, editMessageSchema, markDeliveredSchema, markReadSchema, pinMessageSchema, reactSchema, sendMessageSchema, syncSchema } from "../schemas/message";
import { roomRefSchema } from "../schemas/room";
import { searchSchema } from "../schemas/search";
import { settingsSchema } from "../schemas/user";
import type { ErrorCode } from "../errors";
import type { ClientToServerEvents, ServerToClientEvents } from "../realtime/events";
import { AUTHENTICATED_ERRORS } from "./errors";
import type { Area } from "./http-route";

export type SocketArea = Extract<Area, "Messages" | "Conversations" | "Calls" | "Rooms">;

export type ClientEventSpec = {
  area: SocketArea;
  summary: string;
  payload: z.ZodType;
  /** The ack's `data` when `ok` is true. */
  ack: z.ZodType;
  /** Codes besides AUTHENTICATED_ERRORS (less UNAUTHORIZED: a socket is authenticated at its handshake). */
  errors: readonly ErrorCode[];
  /** What the server says to others (or to the sender's other tabs) when it succeeds. */
  announces?: readonly (keyof ServerToClientEvents)[];
  /** The token scope it needs when not "write": those that change nothing anyone else sees. */
  scope?: "read";
};

export type ServerEventSpec = { area: SocketArea; summary: string; payload: z.ZodType; to: string };

const message = z.strictObject({ message: messageDtoSchema });
const call = z.strictObject({ call: callDtoSchema });
const empty = z.strictObject({});
const conversationId = z.strictObject({ conversationId: z.string() });
const seq = z.int().min(0);
const checked = ["VALIDATION", "NOT_FOUND"] as const;
const callErrors = ["VALIDATION", "NOT_FOUND", "FORBIDDEN", "CONFLICT"] as const;

export const CLIENT_EVENT_SPECS = {
  "message:send": {
    area: "Messages",
    summary: "Send a message. `clientMsgId` makes it idempotent: a repeat acks the stored message.",
    payload: sendMessageSchema,
    ack: message,
    errors: [...checked, "FORBIDDEN", "CONFLICT"],
    announces: ["message:created"],
  },
  "conversation:read": {
    area: "Conversations",
    summary: "Mark read up to a seq (and delivered).",
    payload: markReadSchema,
    ack: z.strictObject({ lastReadSeq: seq }),
    errors: checked,
    announces: ["receipt"],
  },
  "conversation:delivered": {
    scope: "read",
    area: "Conversations",
    summary: "This client has received everything up to seq: drives the sender's delivered tick.",
    payload: markDeliveredSchema,
    ack: z.strictObject({ lastDeliveredSeq: seq }),
    errors: checked,
    announces: ["receipt"],
  },
  sync: {
    scope: "read",
    area: "Messages",
    summary: "Every change to a conversation's messages since a version (GET /api/conversations/{id}/sync's twin).",
    payload: syncSchema,
    ack: syncResultSchema,
    errors: checked,
  },
  search: {
    scope: "read",
    area: "Messages",
    summary: "A page of message search results (GET /api/search's twin).",
    payload: searchSchema,
    ack: searchResultSchema,
    errors: checked,
  },
  "message:edit": { area: "Messages", summary: "Edit your own message, within the edit window.", payload: editMessageSchema, ack: message, errors: [...checked, "FORBIDDEN"], announces: ["message:updated"] },
  "message:delete": {
    area: "Messages",
    summary: "Delete a message for everyone (yours, within the window) or for yourself (any).",
    payload: deleteMessageSchema,
    ack: message,
    errors: [...checked, "FORBIDDEN"],
    announces: ["message:updated"],
  },
  "message:react": { area: "Messages", summary: "Toggle your reaction; `add` says which way.", payload: reactSchema, ack: message, errors: [...checked, "FORBIDDEN"], announces: ["message:updated"] },
  "message:pin": { area: "Messages", summary: "Pin or unpin a message.", payload: pinMessageSchema, ack: message, errors: [...checked, "FORBIDDEN"], announces: ["message:updated"] },
  typing: {
    area: "Conversations",
    summary: "I am typing (or stopped). Sent volatile, `typing: true` at most once per 2 s; the server drops what comes sooner.",
    payload: typingSchema,
    ack: empty,
    errors: checked,
    announces: ["typing"],
  },
  "call:invite": {
    area: "Calls",
    summary:
      "Ring the other member of a direct conversation. Acks the call as it stands (ringing; ended \"busy\"; or their call to you, answered by this tab, as `role: \"callee\"`) and this tab's `partyId`.",
    payload: callInviteSchema,
    ack: z.strictObject({ call: callDtoSchema, partyId: z.string().nullable(), role: z.enum(["caller", "callee"]) }),
    errors: callErrors,
    announces: ["call:ringing"],
  },
  "call:answer": {
    area: "Calls",
    summary: "Answer a ringing call. The first answer wins; a later one from another tab is CONFLICT.",
    payload: callAnswerSchema,
    ack: z.strictObject({ call: callDtoSchema, partyId: z.string() }),
    errors: callErrors,
    announces: ["call:answered", "call:answered-elsewhere"],
  },
  "call:reject": { area: "Calls", summary: "Decline a ringing call, from any of your tabs.", payload: callRejectSchema, ack: call, errors: callErrors, announces: ["call:ended"] },
  "call:hangup": { area: "Calls", summary: "Leave the call (before an answer: cancel it).", payload: callHangupSchema, ack: call, errors: callErrors, announces: ["call:ended"] },
  "call:resume": { area: "Calls", summary: "After a reconnect of the same tab: its signals come to the new socket.", payload: callResumeSchema, ack: call, errors: callErrors },
  "call:connected": { area: "Calls", summary: "The peer connection connected: the call turns active.", payload: callConnectedSchema, ack: call, errors: callErrors, announces: ["call:answered"] },
  "call:signal": { area: "Calls", summary: "A description, a candidate or media state for the other party's tab only.", payload: callSignalSchema, ack: empty, errors: callErrors, announces: ["call:signal"] },
  "room:join": {
    area: "Rooms",
    summary: "Join a listed room; acks it as the new member sees it. Every socket of yours joins it.",
    payload: roomRefSchema,
    ack: z.strictObject({ conversation: conversationDtoSchema }),
    errors: checked,
    announces: ["room:joined", "conversation:created", "conversation:updated", "room:updated", "message:created"],
  },
  visibility: {
    scope: "read",
    area: "Conversations",
    summary: "This tab came into view, or left it (also `auth.visible` at the handshake). A user with no tab in view gets push notifications; a socket that never says counts as out of view. Needs only the read scope.",
    payload: visibilitySchema,
    ack: empty,
    errors: ["VALIDATION"],
  },
  "room:leave": {
    area: "Rooms",
    summary: "Leave a room (an owner hands it over); every socket of yours leaves it.",
    payload: roomRefSchema,
    ack: empty,
    errors: checked,
    announces: ["room:left", "conversation:removed", "conversation:updated", "room:updated", "message:created"],
  },
} satisfies { readonly [E in keyof ClientToServerEvents]: ClientEventSpec };

export const SERVER_EVENT_SPECS = {
  "message:created": { area: "Messages", summary: "A message was stored.", payload: message, to: "the conversation's members" },
  "message:updated": {
    area: "Messages",
    summary: "A stored message changed (edit, delete, reaction, pin) and took a new version.",
    payload: message,
    to: "the conversation's members; a delete for me only the deleter's own sockets, with `hidden: true`",
  },
  "conversation:created": { area: "Conversations", summary: "You are in a new conversation (created, added, joined).", payload: z.strictObject({ conversation: conversationDtoSchema }), to: "each new member" },
  "conversation:updated": {
    area: "Conversations",
    summary: "The name or the members changed; without the viewer-specific fields.",
    payload: z.strictObject({ conversation: conversationSummarySchema }),
    to: "the conversation's members",
  },
  "conversation:removed": { area: "Conversations", summary: "You left, or were removed, and hear nothing more from it.", payload: conversationId, to: "the removed member's own sockets" },
  receipt: {
    area: "Conversations",
    summary: "A member's watermarks moved (they only rise).",
    payload: z.strictObject({ conversationId: z.string(), userId: z.string(), deliveredSeq: seq, readSeq: seq }),
    to: "the conversation's members",
  },
  typing: {
    area: "Conversations",
    summary: "Someone is typing, or stopped; `activity` while their files upload. Expires by itself after 6 s.",
    payload: z.strictObject({ conversationId: z.string(), userId: z.string(), typing: z.boolean(), activity: z.enum(UPLOAD_ACTIVITIES).optional() }),
    to: "the conversation's other members",
  },
  presence: { area: "Conversations", summary: "Someone came online (first tab) or went offline (last tab closed).", payload: presenceDtoSchema, to: "everyone who shares a conversation with them" },
  "presence:snapshot": {
    area: "Conversations",
    summary: "The presence of everyone who shares a conversation with you, after each connection; `online` lists more people online by id alone.",
    payload: z.strictObject({ users: z.array(presenceDtoSchema), online: z.array(z.string()).optional() }),
    to: "the connecting socket; a new conversation's room",
  },
  "conversation:marked": { area: "Conversations", summary: "You marked it as unread (or undid that) elsewhere.", payload: z.strictObject({ conversationId: z.string(), markedUnread: z.boolean() }), to: "your own sockets" },
  "conversation:muted": { area: "Conversations", summary: "You muted or unmuted it elsewhere.", payload: z.strictObject({ conversationId: z.string(), muted: z.boolean() }), to: "your own sockets" },
  "user:updated": { area: "Conversations", summary: "Someone changed their profile picture.", payload: z.strictObject({ user: profileDtoSchema }), to: "every conversation they are in, and their own sockets" },
  "settings:updated": { area: "Conversations", summary: "Your settings changed on another tab or device.", payload: z.strictObject({ settings: settingsSchema }), to: "your own sockets" },
  "room:created": { area: "Rooms", summary: "A public room was created.", payload: z.strictObject({ room: roomDtoSchema }), to: "every connected socket" },
  "room:updated": { area: "Rooms", summary: "A listed room changed, or left the directory (`listed: false`).", payload: z.strictObject({ room: roomDtoSchema }), to: "every connected socket" },
  "room:joined": { area: "Rooms", summary: "You joined a room (here or elsewhere); conversation:created carries it.", payload: conversationId, to: "your own sockets" },
  "room:left": { area: "Rooms", summary: "You left a room, or were removed from it.", payload: conversationId, to: "your own sockets" },
  "call:ringing": { area: "Calls", summary: "A call was placed: the callee's tabs ring, the caller's others show it.", payload: call, to: "both people's sockets" },
  "call:answered": { area: "Calls", summary: "The callee answered (the calling tab makes the offer); again when it turns active.", payload: call, to: "the caller's sockets; both when active" },
  "call:answered-elsewhere": { area: "Calls", summary: "Another of your tabs answered: stop ringing, in silence.", payload: call, to: "the callee's other sockets" },
  "call:ended": { area: "Calls", summary: "The call is over; `call.outcome` says how.", payload: call, to: "both people's sockets" },
  "call:signal": { area: "Calls", summary: "A description, a candidate or media state from the other party.", payload: z.strictObject({ callId: z.string(), signal: callSignalBodySchema }), to: "this party's tab only" },
} satisfies { readonly [E in keyof ServerToClientEvents]: ServerEventSpec };

/** A socket request can fail like any authenticated request, except UNAUTHORIZED (the handshake settles that). */
export const socketErrors = (spec: ClientEventSpec): ErrorCode[] => [...new Set([...spec.errors, ...AUTHENTICATED_ERRORS.filter((code) => code !== "UNAUTHORIZED")])];

/** What `connect_error` carries when the server refuses a handshake. */
export const HANDSHAKE = {
  auth: z.strictObject({
    token: z.string().meta({ description: "A personal access token (`parley_pat_…`), or a realtime token from GET /api/realtime/token (browsers)." }),
    visible: z.boolean().optional().meta({ description: "Browsers: whether this tab is in view (see the `visibility` request)." }),
  }),
  refusalCodes: ["UNAUTHORIZED", "FORBIDDEN_ORIGIN", "UNAVAILABLE", "INTERNAL"] as readonly ErrorCode[],
};

/** The token scope a client→server request needs (socket-server/handlers/router.ts checks it). */
export const clientEventScope = (event: keyof ClientToServerEvents): "read" | "write" => (CLIENT_EVENT_SPECS[event] as ClientEventSpec).scope ?? "write";
