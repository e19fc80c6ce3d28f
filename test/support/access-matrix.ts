// The authorization matrix's rows: every client→server event, server action and route handler
// that touches a conversation, each as one request builder. test/integration/authorization-matrix
// runs every row as a stranger, a removed member, a member who left, (for the owner's rows) a
// plain member, and (where there is one) a member reaching for something that is not theirs.
// A new event, action or route joins by adding its row here; the runner checks that the
// contract's events and the app's route files all have one.
import { randomUUID } from "node:crypto";
import type { ErrorBody, ErrorCode } from "../../lib/errors";
import type { Ack, ClientToServerEvents } from "../../lib/realtime/events";
import { callAction } from "./actions";
import type { Stack } from "./stack";
import { emitAck, type TestSocket, type TestUser } from "./users";

export type MatrixActor = TestUser & { socket: TestSocket };

/** What a row's request names: the group, a user in it or outside it (per the row), and messages. */
export type MatrixTarget = {
  conversationId: string;
  /** A member of the group for rows that name one (removal), someone outside it for rows that add one. */
  userId: string;
  /** A message of the group, and one of a conversation the actor is not in. */
  messageId: string;
  foreignMessageId: string;
  /** A message the plain member sent in the group (fresh for each legitimate call that edits or deletes it). */
  ownMessageId: string;
  /** The owner and the member's direct conversation, where calls take place. */
  directId: string;
  /**
   * A call and the partyId of one of its tabs: for denials, a call between two other people; for a
   * legitimate request, a fresh one between the owner and the member (see AccessRow.call).
   */
  call: { id: string; partyId: string };
  /** A file the owner sent in the group, and one sent in a conversation the actor is not in. */
  fileId: string;
  foreignFileId: string;
  /** Each actor's own unsent uploads by user id, one per row that attaches: rows that send files attach the actor's own. */
  uploads: Record<string, Record<"socket" | "http", string>>;
};

export type Outcome = { ok: true } | { ok: false; error: ErrorBody; status?: number };

type Run = (stack: Stack, actor: MatrixActor, target: MatrixTarget) => Promise<Outcome>;

export type AccessRow = {
  name: string;
  /** Who may: any member, or the group's owner alone. */
  allowed: "member" | "owner";
  /** What a row's request names, if any: a current member, someone not in the group, or the member's own message. */
  names?: "member" | "outsider" | "own-message";
  run: Run;
  /** A member reaching for something that is not theirs, and what they must get. */
  reach?: { what: string; expect: ErrorCode; run: Run };
  /**
   * Call rows: the call the legitimate request needs, set up fresh in the direct conversation and
   * ended after it: none (the member places one), ringing (the owner calls the member), or
   * answered (and the member's tab took it: `call.partyId` is the member's).
   */
  call?: "none" | "ringing" | "answered";
};

const fromAck = (ack: Ack<unknown>): Outcome => (ack.ok ? { ok: true } : { ok: false, error: ack.error });

async function fromResponse(response: Response): Promise<Outcome> {
  const text = await response.text();
  if (response.status < 300) return { ok: true };
  return { ok: false, status: response.status, error: (JSON.parse(text) as { error: ErrorBody }).error };
}

function socketRow(event: keyof ClientToServerEvents, payload: (t: MatrixTarget) => object, extra: Partial<AccessRow> = {}): AccessRow {
  return { name: `socket ${event}`, allowed: "member", run: async (_s, actor, t) => fromAck(await emitAck(actor.socket, event, payload(t))), ...extra };
}

function actionRow(action: string, input: (t: MatrixTarget) => object, extra: Partial<AccessRow> = {}): AccessRow {
  return { name: `action ${action}`, allowed: "member", run: async (stack, actor, t) => fromAck(await callAction(stack, actor, action, [input(t)])), ...extra };
}

function routeRow(method: string, path: string, body?: (t: MatrixTarget) => object, extra: Partial<AccessRow> = {}): AccessRow {
  return {
    name: `${method} ${path}`,
    allowed: "member",
    run: async (_s, actor, t) => {
      const url = path.replace(":id", t.conversationId).replace(":userId", t.userId);
      return fromResponse(await actor.api(url, { method, body: body ? JSON.stringify(body(t)) : undefined }));
    },
    ...extra,
  };
}

const message = (t: MatrixTarget) => ({ conversationId: t.conversationId, clientMsgId: randomUUID(), text: "matrix" });
const seq = (t: MatrixTarget) => ({ conversationId: t.conversationId, seq: 1 });
const sync = (t: MatrixTarget) => ({ conversationId: t.conversationId, sinceVersion: 0 });
const member = (t: MatrixTarget) => ({ conversationId: t.conversationId, userId: t.userId });

/** Replying quotes a message: one from a conversation the sender is not in must look missing. */
const replyReach = (send: Run): AccessRow["reach"] => ({
  what: "replies to a message of a conversation they are not in",
  expect: "NOT_FOUND",
  run: (stack, actor, t) => send(stack, actor, { ...t, messageId: t.foreignMessageId }),
});

function sendRow(build: (reply: (t: MatrixTarget) => object) => AccessRow): AccessRow {
  const withReply = (t: MatrixTarget) => ({ ...message(t), replyTo: t.messageId });
  const row = build(withReply);
  return { ...row, reach: replyReach(row.run) };
}

// ── Changes to a message: named by its id, so the conversation is the message's own ──────────

type MessageEvent = "message:edit" | "message:delete" | "message:react" | "message:pin";
/** Which message a row acts on: the member's own (edit, delete for everyone) or the owner's. */
type Pick = "own" | "other";
const pickMessage = (t: MatrixTarget, pick: Pick) => (pick === "own" ? t.ownMessageId : t.messageId);

/** How a member reaches: for someone else's message (the sender's rights: FORBIDDEN), or for one of a conversation they are not in (it looks missing). */
const REACH = {
  "not-theirs": { what: "changes someone else's message", expect: "FORBIDDEN", target: (t: MatrixTarget) => t.messageId },
  foreign: { what: "acts on a message of a conversation they are not in", expect: "NOT_FOUND", target: (t: MatrixTarget) => t.foreignMessageId },
} as const;

function messageRows(
  label: string,
  pick: Pick,
  reachKind: "not-theirs" | "foreign",
  build: { socket: [MessageEvent, (id: string) => object]; action: [string, (id: string) => object]; route: [string, string, ((id: string) => object)?] },
): AccessRow[] {
  const [event, payload] = build.socket;
  const [action, input] = build.action;
  const [method, path, body] = build.route;
  const runs: [string, (stack: Stack, actor: MatrixActor, id: string) => Promise<Outcome>][] = [
    [`socket ${event}${label}`, async (_s, actor, id) => fromAck(await emitAck(actor.socket, event, payload(id)))],
    [`action ${action}${label}`, async (stack, actor, id) => fromAck(await callAction(stack, actor, action, [input(id)]))],
    [
      `${method} ${path}`,
      async (_s, actor, id) =>
        fromResponse(await actor.api(path.replace(":id", id), { method, body: body ? JSON.stringify(body(id)) : undefined })),
    ],
  ];
  const { what, expect, target } = REACH[reachKind];
  return runs.map(([name, run]) => ({
    name,
    allowed: "member",
    names: pick === "own" ? "own-message" : undefined,
    run: (stack, actor, t) => run(stack, actor, pickMessage(t, pick)),
    reach: { what, expect, run: (stack, actor, t) => run(stack, actor, target(t)) },
  }));
}

const MESSAGE_ROWS: AccessRow[] = [
  ...messageRows("", "own", "not-theirs", {
    socket: ["message:edit", (messageId) => ({ messageId, text: "edited by the matrix" })],
    action: ["editMessageAction", (messageId) => ({ messageId, text: "edited by the matrix" })],
    route: ["PATCH", "/api/messages/:id", () => ({ text: "edited by the matrix" })],
  }),
  ...messageRows("?for=everyone", "own", "not-theirs", {
    socket: ["message:delete", (messageId) => ({ messageId, for: "everyone" })],
    action: ["deleteMessageAction", (messageId) => ({ messageId, for: "everyone" })],
    route: ["DELETE", "/api/messages/:id?for=everyone"],
  }),
  ...messageRows("?for=me", "other", "foreign", {
    socket: ["message:delete", (messageId) => ({ messageId, for: "me" })],
    action: ["deleteMessageAction", (messageId) => ({ messageId, for: "me" })],
    route: ["DELETE", "/api/messages/:id?for=me"],
  }),
  ...messageRows("", "other", "foreign", {
    socket: ["message:react", (messageId) => ({ messageId, emoji: "👍", add: true })],
    action: ["reactToMessageAction", (messageId) => ({ messageId, emoji: "👍", add: true })],
    route: ["POST", "/api/messages/:id/reactions", () => ({ emoji: "👍", add: true })],
  }),
  ...messageRows("", "other", "foreign", {
    socket: ["message:pin", (messageId) => ({ messageId, pinned: true })],
    action: ["pinMessageAction", (messageId) => ({ messageId, pinned: true })],
    route: ["PUT", "/api/messages/:id/pin"],
  }),
  ...messageRows("?unpin", "other", "foreign", {
    socket: ["message:pin", (messageId) => ({ messageId, pinned: false })],
    action: ["pinMessageAction", (messageId) => ({ messageId, pinned: false })],
    route: ["DELETE", "/api/messages/:id/pin"],
  }),
];

function callRow(event: keyof ClientToServerEvents, payload: (t: MatrixTarget) => object, call: AccessRow["call"]): AccessRow {
  const row = socketRow(event, payload, { call });
  // The denials' target names a call between two other people: the member reaching for it gets what a stranger gets.
  return { ...row, reach: { what: "acts on a call between two other people", expect: "NOT_FOUND", run: row.run } };
}

const party = (t: MatrixTarget) => ({ callId: t.call.id, partyId: t.call.partyId });

/** Calls live in direct conversations; the owner and the member's is the legitimate one, and others' calls are reached for. */
const CALL_ROWS: AccessRow[] = [
  {
    ...socketRow("call:invite", (t) => ({ conversationId: t.directId, callId: t.call.id, media: "audio" }), { call: "none" }),
    reach: {
      what: "calls in a group",
      expect: "FORBIDDEN",
      run: async (_s, actor, t) => fromAck(await emitAck(actor.socket, "call:invite", { conversationId: t.conversationId, callId: randomUUID(), media: "audio" })),
    },
  },
  callRow("call:answer", (t) => ({ callId: t.call.id, media: "audio" }), "ringing"),
  callRow("call:reject", (t) => ({ callId: t.call.id }), "ringing"),
  callRow("call:hangup", party, "answered"),
  callRow("call:resume", party, "answered"),
  callRow("call:connected", party, "answered"),
  callRow("call:signal", (t) => ({ ...party(t), signal: { candidate: null } }), "answered"),
];

// ── Files: read by id, and attached by id to a message ───────────────────────────────────────

function fileRow(path: string): AccessRow {
  const read: (fileId: string) => Run = (fileId) => async (_s, actor) => fromResponse(await actor.api(path.replace(":id", fileId)));
  return {
    name: `GET ${path.replace(/\/(thumbnail)$/, "/:variant")}`,
    allowed: "member",
    run: (stack, actor, t) => read(t.fileId)(stack, actor, t),
    reach: { what: "reads a file of a conversation they are not in", expect: "NOT_FOUND", run: (stack, actor, t) => read(t.foreignFileId)(stack, actor, t) },
  };
}

/** Sending with files: one's own uploads only; someone else's file (one the owner sent) looks missing. */
function attachRow(via: "socket" | "http"): AccessRow {
  const payload = (t: MatrixTarget, fileId: string) => ({ ...message(t), text: "", attachments: [fileId] });
  const send = (fileOf: (t: MatrixTarget, actor: MatrixActor) => string): Run =>
    via === "socket"
      ? async (_s, actor, t) => fromAck(await emitAck(actor.socket, "message:send", payload(t, fileOf(t, actor))))
      : async (_s, actor, t) =>
          fromResponse(await actor.api(`/api/conversations/${t.conversationId}/messages`, { method: "POST", body: JSON.stringify(payload(t, fileOf(t, actor))) }));
  return {
    name: via === "socket" ? "socket message:send?attachments" : "POST /api/conversations/:id/messages?attachments",
    allowed: "member",
    run: send((t, actor) => t.uploads[actor.id]?.[via] ?? t.fileId),
    reach: { what: "attaches a file that is not theirs", expect: "NOT_FOUND", run: send((t) => t.fileId) },
  };
}

const FILE_ROWS: AccessRow[] = [fileRow("/api/files/:id"), fileRow("/api/files/:id/thumbnail"), attachRow("socket"), attachRow("http")];

export const ACCESS_ROWS: AccessRow[] = [
  sendRow((payload) => socketRow("message:send", payload)),
  socketRow("sync", sync),
  // Searching inside one conversation names it: only its members may (a search of everything only ever reads the searcher's own).
  socketRow("search", (t) => ({ q: "matrix", conversationId: t.conversationId })),
  routeRow("GET", "/api/search?q=matrix&conversationId=:id"),
  actionRow("searchMessagesAction", (t) => ({ q: "matrix", conversationId: t.conversationId })),
  socketRow("conversation:read", seq),
  socketRow("conversation:delivered", seq),
  socketRow("typing", (t) => ({ conversationId: t.conversationId, typing: true })),

  sendRow((input) => actionRow("sendMessageAction", input)),
  actionRow("syncAction", sync),
  actionRow("loadMessagesAction", (t) => ({ conversationId: t.conversationId })),
  actionRow("markReadAction", seq),
  actionRow("markDeliveredAction", seq),
  actionRow("markUnreadAction", (t) => ({ conversationId: t.conversationId, unread: true })),
  actionRow("muteConversationAction", (t) => ({ conversationId: t.conversationId, muted: true })),
  actionRow("renameConversationAction", (t) => ({ conversationId: t.conversationId, name: `Renamed ${randomUUID().slice(0, 6)}` })),
  actionRow("addMemberAction", member, { names: "outsider" }),
  actionRow("removeMemberAction", member, { names: "member", allowed: "owner" }),
  actionRow("setMemberRoleAction", (t) => ({ ...member(t), role: "admin" }), { names: "member", allowed: "owner" }),

  sendRow((body) => routeRow("POST", "/api/conversations/:id/messages", body)),
  routeRow("GET", "/api/conversations/:id/messages"),
  routeRow("GET", "/api/conversations/:id/sync?since=0"),
  routeRow("POST", "/api/conversations/:id/read", () => ({ seq: 1 })),
  routeRow("POST", "/api/conversations/:id/delivered", () => ({ seq: 1 })),
  routeRow("POST", "/api/conversations/:id/unread", () => ({ unread: true })),
  routeRow("POST", "/api/conversations/:id/mute", () => ({ muted: true })),
  routeRow("PATCH", "/api/conversations/:id", () => ({ name: `Renamed ${randomUUID().slice(0, 6)}` })),
  routeRow("POST", "/api/conversations/:id/members", (t) => ({ userId: t.userId }), { names: "outsider" }),
  routeRow("DELETE", "/api/conversations/:id/members/:userId", undefined, { names: "member", allowed: "owner" }),
  routeRow("PATCH", "/api/conversations/:id/members/:userId", () => ({ role: "admin" }), { names: "member", allowed: "owner" }),

  ...MESSAGE_ROWS,
  ...CALL_ROWS,
  ...FILE_ROWS,
];

/**
 * Entries that take no conversation, and why they are outside the matrix: they act only on the
 * caller's own account or on the list of their own conversations (checked by the runner), or
 * are public by nature.
 */
export const OUTSIDE_MATRIX: Record<string, string> = {

  "GET /api/conversations": "the caller's own list; the runner checks former members no longer see the group in it",
  "action listConversationsAction": "as GET /api/conversations",
  "POST /api/conversations": "creates a new conversation with the caller in it",
  "action createConversationAction": "as POST /api/conversations",
  "GET /api/users": "search; which fields it shows is payload-fields.test.ts's job",
  "action searchUsersAction": "as GET /api/users",
  "GET /api/realtime/token": "the caller's own token",
  "GET /api/tokens": "the caller's own personal access tokens (access-tokens.test.ts)",
  "GET /api/me": "the caller's own id, name and scopes (access-tokens.test.ts)",
  "POST /api/tokens": "makes a token for the caller alone (access-tokens.test.ts)",
  "DELETE /api/tokens/:id": "the caller's own tokens; another's is NOT_FOUND (access-tokens.test.ts)",
  "POST /api/uploads": "names no conversation: an upload is its uploader's alone until a message carries it (the attachments rows)",
  "GET /api/calls/ice": "names no conversation: the call servers and TURN credentials minted for the caller alone",
  "POST /api/register": "public: creates an account",
  "GET /api/health": "public, carries no data",
  "GET /api/openapi.json": "public: the API's description, the same for everyone",
  "GET /api/asyncapi.json": "public: the socket's description, the same for everyone",
  "GET /api/settings": "the caller's own settings",
  "PUT /api/settings/avatar": "changes only the caller's own profile picture (avatars.test.ts)",
  "DELETE /api/settings/avatar": "as PUT /api/settings/avatar",
  "GET /api/users/:id/avatar": "a profile picture, which anyone signed in may see, as they may see the name (avatars.test.ts)",
  "PATCH /api/settings": "changes only the caller's own settings",
  "action updateSettingsAction": "as PATCH /api/settings",
  // Rooms: anyone signed in may find, preview and join a listed room, so a group's matrix does not
  // fit them; rooms-access.test.ts runs their battery (stranger, previewer, removed member, member
  // of another room) for these and for every member-only action aimed at a room.
  "GET /api/rooms": "the directory: listed rooms only, public by nature (rooms-access.test.ts, rooms.test.ts)",
  "POST /api/rooms": "creates a new room with the caller as its owner (ROOM_CREATION: rooms.test.ts)",
  "GET /api/rooms/:id": "a preview: listed rooms to anyone, others NOT_FOUND (rooms-access.test.ts)",
  "PATCH /api/rooms/:id": "the room's owners and admins (rooms-access.test.ts)",
  "POST /api/rooms/:id/join": "listed rooms to anyone, others NOT_FOUND (rooms-access.test.ts)",
  "POST /api/rooms/:id/leave": "members only (rooms-access.test.ts)",
  "socket visibility": "says only whether the sender's own tab is in view; names no conversation and tells nobody (push.test.ts)",
  "socket room:join": "as POST /api/rooms/:id/join",
  "socket room:leave": "as POST /api/rooms/:id/leave",
  "GET /api/push/key": "the server's public VAPID key, the same for everyone",
  "GET /api/push/subscriptions": "the caller's own devices (push.test.ts)",
  "POST /api/push/subscriptions": "subscribes the caller's own browser; names no conversation (push.test.ts)",
  "DELETE /api/push/subscriptions/:id": "the caller's own devices only; another's is NOT_FOUND (push.test.ts)",
  "GET /api/admins": "the caller's own role",
  "PUT /api/admins/:userId": "server admins only (rooms-access.test.ts, rooms.test.ts)",
  "DELETE /api/admins/:userId": "as PUT /api/admins/:userId",
};
