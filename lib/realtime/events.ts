// The realtime contract: the one place both the socket server and the browser take their
// event names and payload types from. Requests are verbs and take an ack; broadcasts are past tense.
import type { ErrorBody } from "../errors";
import type {
  CallAnswerInput,
  CallConnectedInput,
  CallHangupInput,
  CallInviteInput,
  CallRejectInput,
  CallResumeInput,
  CallSignalBody,
  CallSignalInput,
} from "../schemas/call";
import type { TypingInput, VisibilityInput } from "../schemas/conversation";
import type { UploadActivity } from "../schemas/file";
import type { CallDto, ConversationDto, ConversationSummary, MessageDto, PresenceDto, ProfileDto, RoomDto, SearchResult, SyncResult } from "../schemas/dto";
import type { SearchInput } from "../schemas/search";
import type {
  DeleteMessageInput,
  EditMessageInput,
  MarkDeliveredInput,
  MarkReadInput,
  PinMessageInput,
  ReactInput,
  SendMessageInput,
  SyncInput,
} from "../schemas/message";
import type { RoomRef } from "../schemas/room";
import type { Settings } from "../schemas/user";
import type { TokenScope } from "../schemas/token";

export type AckOk<T> = { ok: true; data: T };
export type AckError = { ok: false; error: ErrorBody };
export type Ack<T> = AckOk<T> | AckError;
export type AckCallback<T> = (response: Ack<T>) => void;

export type ClientToServerEvents = {
  "message:send": (payload: SendMessageInput, ack: AckCallback<{ message: MessageDto }>) => void;
  "conversation:read": (payload: MarkReadInput, ack: AckCallback<{ lastReadSeq: number }>) => void;
  /** "This client has received everything up to seq": drives the sender's delivered tick. */
  "conversation:delivered": (payload: MarkDeliveredInput, ack: AckCallback<{ lastDeliveredSeq: number }>) => void;
  sync: (payload: SyncInput, ack: AckCallback<SyncResult>) => void;
  /** A page of message search results (GET /api/search's twin): what the user may read now, newest first. */
  search: (payload: SearchInput, ack: AckCallback<SearchResult>) => void;
  /** Changes to a stored message; each acks the message as it now is, and members hear message:updated. */
  "message:edit": (payload: EditMessageInput, ack: AckCallback<{ message: MessageDto }>) => void;
  "message:delete": (payload: DeleteMessageInput, ack: AckCallback<{ message: MessageDto }>) => void;
  "message:react": (payload: ReactInput, ack: AckCallback<{ message: MessageDto }>) => void;
  "message:pin": (payload: PinMessageInput, ack: AckCallback<{ message: MessageDto }>) => void;
  /** Sent volatile, at most one `typing: true` per TYPING_THROTTLE_MS; `false` on send, blur and an emptied composer. */
  typing: (payload: TypingInput, ack: AckCallback<Record<string, never>>) => void;
  /** This tab came into view or left it (also said at the handshake, `auth.visible`): a person with a tab in view gets no push. */
  visibility: (payload: VisibilityInput, ack: AckCallback<Record<string, never>>) => void;

  // Calls (DESIGN.md "Calls"). The ack of invite and answer carries the tab's `partyId`, which
  // only that tab knows and every later request of its part in the call must give.
  /**
   * Rings the other member of a direct conversation on every tab. Acks the call as it stands: ringing;
   * ended with outcome "busy" when they are in another call (their tabs do not ring); or, when they
   * were calling this user in the same conversation at that moment, their call, answered by this tab
   * (`role: "callee"`). A repeat of the same callId acks the same call.
   */
  "call:invite": (payload: CallInviteInput, ack: AckCallback<{ call: CallDto; partyId: string | null; role: "caller" | "callee" }>) => void;
  /** The first answer wins; a later one from another tab is CONFLICT. */
  "call:answer": (payload: CallAnswerInput, ack: AckCallback<{ call: CallDto; partyId: string }>) => void;
  "call:reject": (payload: CallRejectInput, ack: AckCallback<{ call: CallDto }>) => void;
  "call:hangup": (payload: CallHangupInput, ack: AckCallback<{ call: CallDto }>) => void;
  /** After a reconnect of the same tab: the server sends this party's signals to the new socket. */
  "call:resume": (payload: CallResumeInput, ack: AckCallback<{ call: CallDto }>) => void;
  /** The peer connection connected: the call turns active (the first report counts). */
  "call:connected": (payload: CallConnectedInput, ack: AckCallback<{ call: CallDto }>) => void;
  /** Relayed to the other party's tab only, never to the room. */
  "call:signal": (payload: CallSignalInput, ack: AckCallback<Record<string, never>>) => void;

  // Rooms (DESIGN.md "Public rooms"). Creating, changing and browsing rooms is HTTP (/api/rooms).
  /**
   * Joins a listed room; acks the room as the new member sees it. Every socket of the user, on
   * every socket server, joins it at once. Joining again changes nothing; an archived, private or
   * missing room is NOT_FOUND.
   */
  "room:join": (payload: RoomRef, ack: AckCallback<{ conversation: ConversationDto }>) => void;
  /** Leaves a room (an owner hands it over, as in groups); every socket of the user leaves it. */
  "room:leave": (payload: RoomRef, ack: AckCallback<Record<string, never>>) => void;
};


/** A typist refreshes `typing: true` at most this often (the server drops what comes sooner). */
export const TYPING_THROTTLE_MS = 2_000;
/** A typing indicator not refreshed for this long goes away by itself, whatever was lost on the way. */
export const TYPING_EXPIRES_MS = 6_000;

/** To the conversation's other members (not the typist's own tabs). */
export type TypingEvent = { conversationId: string; userId: string; typing: boolean; activity?: UploadActivity };

/**
 * A member's watermarks moved. Sent to the conversation's room, so senders see their ticks
 * and the member's other tabs clear their unread badge. Watermarks only rise.
 */
export type ReceiptEvent = { conversationId: string; userId: string; deliveredSeq: number; readSeq: number };

export type ServerToClientEvents = {
  "message:created": (payload: { message: MessageDto }) => void;
  /**
   * A stored message changed (edit, delete, reaction, pin) and took a new `version`. To the room;
   * a delete for me only to that member's own sockets, with `hidden: true`.
   */
  "message:updated": (payload: { message: MessageDto }) => void;
  "conversation:created": (payload: { conversation: ConversationDto }) => void;
  /** The name or the members changed; the viewer-specific fields (unread, own watermark) are not in it. */
  "conversation:updated": (payload: { conversation: ConversationSummary }) => void;
  /** To the removed member's own sockets only: they left, or were removed, and hear nothing more from it. */
  "conversation:removed": (payload: { conversationId: string }) => void;
  receipt: (payload: ReceiptEvent) => void;
  typing: (payload: TypingEvent) => void;
  /** Someone who shares a conversation with the receiver came online (first tab) or went offline (last tab closed). */
  presence: (payload: PresenceDto) => void;
  /**
   * The presence of everyone who shares a conversation with the receiver, after each connection;
   * and of a conversation's members to its room when it is created or someone is added. `online`:
   * more users who are online, by id alone (the members of groups of more than 64, whose frames
   * list only who is online; anyone a client was not told is online is offline).
   */
  "presence:snapshot": (payload: { users: PresenceDto[]; online?: string[] }) => void;
  /** To the member's own sockets only: they marked it as unread (or undid that) on another tab or device. */
  "conversation:marked": (payload: { conversationId: string; markedUnread: boolean }) => void;
  /** To the member's own sockets only: they muted or unmuted it on another tab or device. */
  "conversation:muted": (payload: { conversationId: string; muted: boolean }) => void;
  /**
   * Someone changed their profile picture: to every conversation they are in, and their own
   * sockets. Clients show the new one wherever that person appears.
   */
  "user:updated": (payload: { user: ProfileDto }) => void;
  /** To the user's own sockets only: their settings changed on another tab or device. */
  "settings:updated": (payload: { settings: Settings }) => void;

  /** To every connected socket: a public room was created (the directory shows it at once). */
  "room:created": (payload: { room: RoomDto }) => void;
  /**
   * To every connected socket: a listed room changed (name, topic, member count), or left the
   * directory (`listed: false`: archived or made private). Members also hear conversation:updated.
   */
  "room:updated": (payload: { room: RoomDto }) => void;
  /** To the user's own sockets: they joined the room (on this tab or another); conversation:created carries it. */
  "room:joined": (payload: { conversationId: string }) => void;
  /** To the user's own sockets: they left the room, or were removed from it. */
  "room:left": (payload: { conversationId: string }) => void;

  /**
   * To both people's tabs: a call was placed. The callee's tabs ring; the caller's other tabs
   * show that a call is under way elsewhere.
   */
  "call:ringing": (payload: { call: CallDto }) => void;
  /** To the caller's tabs: the callee answered (the calling tab makes the offer); and to both when it turns active. */
  "call:answered": (payload: { call: CallDto }) => void;
  /** To the callee's other tabs: stop ringing, in silence. */
  "call:answered-elsewhere": (payload: { call: CallDto }) => void;
  /** To both people's tabs: the call is over; `call.outcome` says how. */
  "call:ended": (payload: { call: CallDto }) => void;
  /** From the other party's tab, to this party's tab only. */
  "call:signal": (payload: { callId: string; signal: CallSignalBody }) => void;
};

/** Between socket servers (Redis): sent by the web app's emitter to every instance (lib/fanout/stream-emitter.ts). */
export type InterServerEvents = {
  "parley:presence-members": (conversationId: string, memberIds: string[]) => void;
};

/**
 * `scopes`: what the socket may do (a browser's realtime token: everything; a personal access
 * token: its scopes). `tokenId`: the personal access token it was opened with, if any.
 * `visible`: this socket's tab is in view (handshake `auth.visible`, then the `visibility` event).
 */
export type SocketData = { userId: string; name: string; scopes: readonly TokenScope[]; tokenId?: string; visible?: boolean };

/** Every client→server event: the validation suite walks this list, so each new event needs its cases. */
export const CLIENT_EVENTS = [
  "message:send",
  "conversation:read",
  "conversation:delivered",
  "sync",
  "search",
  "message:edit",
  "message:delete",
  "message:react",
  "message:pin",
  "typing",
  "visibility",
  "call:invite",
  "call:answer",
  "call:reject",
  "call:hangup",
  "call:resume",
  "call:connected",
  "call:signal",
  "room:join",
  "room:leave",
] as const satisfies readonly (keyof ClientToServerEvents)[];

/**
 * Every server→client event, for the contract's documents (lib/contract/socket.ts) and their
 * tests, which hold this list to ServerToClientEvents both ways. A literal array, so a bundle
 * that does not use it drops it.
 */
export const SERVER_EVENTS = [
  "message:created",
  "message:updated",
  "conversation:created",
  "conversation:updated",
  "conversation:removed",
  "receipt",
  "typing",
  "presence",
  "presence:snapshot",
  "conversation:marked",
  "conversation:muted",
  "user:updated",
  "settings:updated",
  "room:created",
  "room:updated",
  "room:joined",
  "room:left",
  "call:ringing",
  "call:answered",
  "call:answered-elsewhere",
  "call:ended",
  "call:signal",
] as const satisfies readonly (keyof ServerToClientEvents)[];
