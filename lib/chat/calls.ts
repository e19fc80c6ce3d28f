// Calls (DESIGN.md "Calls"): the state of every 1:1 call lives in the `calls` collection, so it
// holds across socket servers and restarts; each change is one atomic update that names the
// state it leaves, so two tabs, two servers or a sweep racing each other cannot both win.
//   ringing → connecting (answered) → active (connected) → ended{outcome}
// Every call ends in exactly one entry in its conversation (call-entry.ts).
// The transports only authenticate and fan out what these functions return.
import { randomBytes } from "node:crypto";
import type { ObjectId } from "mongodb";
import {
  answerRinging,
  endCall,
  getCall,
  getLiveCallOf,
  insertCall,
  LIVE_STATES,
  markConnected,
  rebindParty,
  type CallDoc,
  type CallParty,
  type PartyRole,
} from "../db/calls";
import { isDuplicateKeyError } from "../db/messages";
import { getServerEnv } from "../env";
import { AppError, notFound } from "../errors";
import {
  callAnswerSchema,
  callConnectedSchema,
  callHangupSchema,
  callInviteSchema,
  callRejectSchema,
  callResumeSchema,
  callSignalSchema,
  type CallMedia,
  type CallOutcome,
  type CallSignalBody,
  type CallState,
} from "../schemas/call";
import type { CallDto, MessageDto } from "../schemas/dto";
import { recordCall } from "./call-entry";
import { oid, parseInput, type Actor } from "./ids";
import { requireMemberConversation } from "./membership";

/** How long a connected party's lease runs; its socket server renews it well before (socket-server/call-leases.ts). */
export const CALL_LEASE_MS = 10_000;

/** The socket a request came on: where that tab's signals go from now on. */
export type FromSocket = Actor & { socketId: string };

/** A change for the transport to fan out: the call as it now is, and the entry when it ended. */
export type CallChange = { call: CallDoc; entry: MessageDto | null };

export function toCallDto(call: CallDoc, now = Date.now()): CallDto {
  return {
    id: call._id,
    conversationId: call.conversationId.toHexString(),
    callerId: call.callerId.toHexString(),
    calleeId: call.calleeId.toHexString(),
    media: call.media,
    state: call.state,
    outcome: call.outcome,
    answeredMedia: call.callee?.media ?? null,
    createdAt: call.createdAt.toISOString(),
    ringMs: call.state === "ringing" ? Math.max(0, call.ringUntil.getTime() - now) : 0,
    connectedAt: call.connectedAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
  };
}

const newPartyId = () => randomBytes(18).toString("base64url");

function party(userId: ObjectId, socketId: string, media: CallMedia, now: number): CallParty {
  return { userId, partyId: newPartyId(), socketId, media, leaseUntil: new Date(now + CALL_LEASE_MS) };
}

export type Invited =
  /** `repeat`: this tab placed it already (its ack was lost); nothing new to announce. */
  | { kind: "ringing"; call: CallDoc; partyId: string; repeat?: true }
  | { kind: "busy"; call: CallDoc; entry: MessageDto | null }
  /** Glare: the callee was calling this user at that moment; their call is answered by this tab instead. */
  | { kind: "answered"; call: CallDoc; partyId: string };

/**
 * Places a call in a direct conversation. Busy, glare and repeats are decided by the database:
 * the insert fails on `_id` (a repeat of this callId) or on the live-lines index (someone in it is
 * in a live call), and only then is the existing call read to tell which.
 */
export async function inviteCall({ userId, socketId, input, callerName }: FromSocket & { input: unknown; callerName: string }): Promise<Invited> {
  const data = parseInput(callInviteSchema, input);
  const me = oid(userId);
  const { conversation } = await requireMemberConversation({ conversationId: oid(data.conversationId), userId: me });
  if (conversation.kind !== "direct") throw new AppError("FORBIDDEN", "Calls are between the two people of a direct conversation");
  const otherId = conversation.key.split(":").slice(1).find((id) => id !== userId);
  if (!otherId) throw new AppError("FORBIDDEN", "You cannot call yourself");
  const callee = oid(otherId);

  const now = Date.now();
  const caller = party(me, socketId, data.media, now);
  const doc: CallDoc = {
    _id: data.callId,
    conversationId: conversation._id,
    callerId: me,
    calleeId: callee,
    callerName,
    media: data.media,
    state: "ringing",
    lines: [me, callee],
    live: true,
    caller,
    callee: null,
    outcome: null,
    createdAt: new Date(now),
    ringUntil: new Date(now + getServerEnv().CALL_RING_SECONDS * 1000),
    answeredAt: null,
    connectedAt: null,
    endedAt: null,
    recorded: false,
  };
  try {
    await insertCall(doc);
    return { kind: "ringing", call: doc, partyId: caller.partyId };
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }

  const repeat = await getCall({ id: data.callId });
  if (repeat) {
    // The same tab asking again (its ack was lost): the same answer. Anyone else cannot take it over.
    if (repeat.callerId.equals(me) && repeat.caller.socketId === socketId && repeat.conversationId.equals(conversation._id)) {
      return repeat.outcome === "busy" ? { kind: "busy", call: repeat, entry: null } : { kind: "ringing", call: repeat, partyId: repeat.caller.partyId, repeat: true };
    }
    throw new AppError("CONFLICT", "That call id is taken; place the call again");
  }

  const mine = await getLiveCallOf({ userId: me });
  if (mine) {
    const glare = mine.state === "ringing" && mine.callerId.equals(callee) && mine.conversationId.equals(conversation._id);
    if (glare) {
      const answered = await answerRinging({ id: mine._id, callee: party(me, socketId, data.media, now), at: new Date(now) });
      if (answered) return { kind: "answered", call: answered, partyId: answered.callee!.partyId };
    }
    throw new AppError("CONFLICT", "You are already in a call");
  }
  // The other person is in a call (or was, a moment ago, and it ended since: busy is still the truth of that moment).
  const busy: CallDoc = { ...doc, state: "ended", live: false, outcome: "busy", endedAt: new Date(now), recorded: false };
  await insertCall(busy).catch((error: unknown) => {
    if (!isDuplicateKeyError(error)) throw error;
  });
  return { kind: "busy", call: busy, entry: await recordCall(busy) };
}

async function requireCall(id: string, userId: ObjectId): Promise<CallDoc> {
  const call = await getCall({ id });
  // Someone else's call looks like no call at all.
  if (!call || !(call.callerId.equals(userId) || call.calleeId.equals(userId))) throw notFound("Call");
  return call;
}

/** One of the callee's tabs answers; the first wins, any later one is CONFLICT. */
export async function answerCall({ userId, socketId, input }: FromSocket & { input: unknown }): Promise<{ call: CallDoc; partyId: string }> {
  const data = parseInput(callAnswerSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  if (!call.calleeId.equals(me)) throw new AppError("FORBIDDEN", "Only the person called can answer");
  const now = Date.now();
  const answered = await answerRinging({ id: call._id, callee: party(me, socketId, data.media, now), at: new Date(now) });
  if (!answered) {
    const now = (await getCall({ id: call._id })) ?? call;
    throw new AppError("CONFLICT", now.state === "ended" ? "The call is over" : "The call was answered on another device", { retryable: false });
  }
  return { call: answered, partyId: answered.callee!.partyId };
}

/** Any of the callee's tabs declines while it rings: every tab stops, and the caller hears "declined". */
export async function rejectCall({ userId, input }: Actor & { input: unknown }): Promise<CallChange> {
  const data = parseInput(callRejectSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  if (!call.calleeId.equals(me)) throw new AppError("FORBIDDEN", "Only the person called can decline; hang up instead");
  const ended = await finish(call._id, ["ringing"], () => "declined");
  if (!ended) throw new AppError("CONFLICT", "The call is no longer ringing");
  return ended;
}

/**
 * The party this request speaks for, by the partyId only that tab was given; with `socketId`, also
 * only from the socket the party is bound to now (a reconnected tab resumes first).
 */
function requireParty(call: CallDoc, userId: ObjectId, partyId: string, socketId?: string): PartyRole {
  for (const role of ["caller", "callee"] as const) {
    const party = call[role];
    if (party?.partyId === partyId && party.userId.equals(userId) && (socketId === undefined || party.socketId === socketId)) return role;
  }
  throw new AppError("FORBIDDEN", "This tab is not taking part in the call");
}

/** Outcomes when a call ends from a state: hanging up before an answer cancels, after connecting completes. */
const hangupOutcome = (failed: boolean) => (state: CallState): CallOutcome =>
  failed ? (state === "active" ? "completed" : "failed") : state === "ringing" ? "cancelled" : state === "active" ? "completed" : "failed";

/** A party leaves: the caller cancelling, either one hanging up, or a tab that could not connect (`failed`). */
export async function hangupCall({ userId, input }: Actor & { input: unknown }): Promise<CallChange> {
  const data = parseInput(callHangupSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  requireParty(call, me, data.partyId);
  const ended = await finish(call._id, LIVE_STATES, hangupOutcome(data.failed !== undefined));
  if (ended) return ended;
  // Ended meanwhile (the other side hung up first): hanging up again is no error.
  return { call: (await getCall({ id: call._id })) ?? call, entry: null };
}

/** The party's tab is back on a new socket (a reconnect): signals go there again and its lease is renewed. */
export async function resumeCall({ userId, socketId, input }: FromSocket & { input: unknown }): Promise<{ call: CallDoc; role: PartyRole }> {
  const data = parseInput(callResumeSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  const role = requireParty(call, me, data.partyId);
  const rebound = await rebindParty({ id: call._id, role, partyId: data.partyId, userId: me, socketId, leaseUntil: new Date(Date.now() + CALL_LEASE_MS) });
  if (!rebound) throw new AppError("CONFLICT", "The call is over", { retryable: false });
  return { call: rebound, role };
}

/** The first report that the peer connection is up turns the call active; later ones change nothing. */
export async function connectCall({ userId, socketId, input }: FromSocket & { input: unknown }): Promise<{ call: CallDoc; changed: boolean }> {
  const data = parseInput(callConnectedSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  const role = requireParty(call, me, data.partyId, socketId);
  const active = await markConnected({ id: call._id, role, partyId: data.partyId, userId: me, at: new Date() });
  if (active) return { call: active, changed: true };
  const now = (await getCall({ id: call._id })) ?? call;
  if (now.state !== "active") throw new AppError("CONFLICT", now.state === "ended" ? "The call is over" : "The call is not answered yet", { retryable: false });
  return { call: now, changed: false };
}

/** A signal to relay: checked to come from a party of a call that is answered and not over; answers where it goes. */
export async function routeSignal({ userId, socketId, input }: FromSocket & { input: unknown }): Promise<{ toSocketId: string; callId: string; signal: CallSignalBody }> {
  const data = parseInput(callSignalSchema, input);
  const me = oid(userId);
  const call = await requireCall(data.callId, me);
  const role = requireParty(call, me, data.partyId, socketId);
  if (call.state !== "connecting" && call.state !== "active") throw new AppError("CONFLICT", call.state === "ended" ? "The call is over" : "The call is not answered yet", { retryable: false });
  const other = role === "caller" ? call.callee! : call.caller;
  return { toSocketId: other.socketId, callId: call._id, signal: data.signal };
}

/** Ends a call from one of `from` and records its entry; null when it had already left those states. */
export async function finish(id: string, from: CallState[], outcome: (state: CallState) => CallOutcome): Promise<CallChange | null> {
  const ended = await endCall({ id, from, outcome, at: new Date() });
  if (!ended) return null;
  return { call: ended, entry: await recordCall(ended) };
}
