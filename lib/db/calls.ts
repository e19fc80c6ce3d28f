import type { Filter, ObjectId, UpdateFilter } from "mongodb";
import type { CallMedia, CallOutcome, CallState } from "../schemas/call";
import { getDb } from "./client";

/**
 * One tab's part in a call: the caller's calling tab, or the callee's answering tab. `partyId` is
 * the secret that tab was given; `socketId` where its signals go now; `leaseUntil` when the call
 * ends if nobody renews it (the socket server holding the socket renews it while it is connected;
 * when the socket closes it is set to the end of the grace period; when that server dies it lapses).
 */
export type CallParty = { userId: ObjectId; partyId: string; socketId: string; media: CallMedia; leaseUntil: Date };

export type CallDoc = {
  /** The callId, a UUID the caller's tab made. */
  _id: string;
  conversationId: ObjectId;
  callerId: ObjectId;
  calleeId: ObjectId;
  /** For the call's entry in the conversation, which is the caller's message. */
  callerName: string;
  media: CallMedia;
  state: CallState;
  /**
   * Both people while the call is live: a unique index over it, partial on `live`, lets a person
   * be in one live call at a time across every tab and socket server (busy), decided by the insert.
   */
  lines: ObjectId[];
  live: boolean;
  caller: CallParty;
  callee: CallParty | null;
  outcome: CallOutcome | null;
  createdAt: Date;
  ringUntil: Date;
  answeredAt: Date | null;
  connectedAt: Date | null;
  endedAt: Date | null;
  /** Ended, and its entry in the conversation is written (a sweep writes any a crash left behind). */
  recorded: boolean;
};

export type PartyRole = "caller" | "callee";
export const LIVE_STATES: CallState[] = ["ringing", "connecting", "active"];

// Its indexes are listed in indexes.ts.
const calls = async () => (await getDb()).collection<CallDoc>("calls");

/**
 * A conditional update of one call by `_id`, then the call as it is after it; null when the
 * condition did not hold (someone else changed it first). Not findOneAndUpdate: not every server
 * plans that by `_id` (query-plans.test.ts).
 */
async function updateIf(filter: Filter<CallDoc> & { _id: string }, update: UpdateFilter<CallDoc>): Promise<CallDoc | null> {
  const collection = await calls();
  const { modifiedCount } = await collection.updateOne(filter, update);
  return modifiedCount === 1 ? collection.findOne({ _id: filter._id }) : null;
}

export async function insertCall(doc: CallDoc): Promise<void> {
  await (await calls()).insertOne(doc);
}

export async function getCall({ id }: { id: string }): Promise<CallDoc | null> {
  return (await calls()).findOne({ _id: id });
}

/** The live call a person is in, if any (the partial unique index on `lines` answers it). */
export async function getLiveCallOf({ userId }: { userId: ObjectId }): Promise<CallDoc | null> {
  return (await calls()).findOne({ lines: userId, live: true });
}

/** The callee's tab takes the call; only while it rings, so the first answer wins and any later one gets null. */
export async function answerRinging({ id, callee, at }: { id: string; callee: CallParty; at: Date }): Promise<CallDoc | null> {
  return updateIf({ _id: id, state: "ringing", calleeId: callee.userId }, { $set: { state: "connecting", callee, answeredAt: at } });
}

const partyFilter = (role: PartyRole, partyId: string, userId: ObjectId) => ({ [`${role}.partyId`]: partyId, [`${role}.userId`]: userId });

/** The first report of a connected peer connection turns the call active; null when it was not connecting (already active, or over). */
export async function markConnected({ id, role, partyId, userId, at }: { id: string; role: PartyRole; partyId: string; userId: ObjectId; at: Date }): Promise<CallDoc | null> {
  return updateIf({ _id: id, state: "connecting", ...partyFilter(role, partyId, userId) }, { $set: { state: "active", connectedAt: at } });
}

/** Ends the call if it is still in one of `from`; only one ender wins, and it alone records the entry. */
export async function endCall({ id, from, outcome, at }: { id: string; from: CallState[]; outcome: (call: CallState) => CallOutcome; at: Date }): Promise<CallDoc | null> {
  // The outcome depends on the state it leaves: try each state in turn, so the update and the outcome agree.
  for (const state of from) {
    const ended = await updateIf({ _id: id, state }, { $set: { state: "ended", live: false, outcome: outcome(state), endedAt: at, recorded: false } });
    if (ended) return ended;
  }
  return null;
}

/** A party's tab is back on a new socket: its signals go there, and the lease is its again. */
export async function rebindParty({ id, role, partyId, userId, socketId, leaseUntil }: { id: string; role: PartyRole; partyId: string; userId: ObjectId; socketId: string; leaseUntil: Date }): Promise<CallDoc | null> {
  // A resume from the socket it is already on changes nothing, and is still a resume.
  const rebound = await updateIf({ _id: id, live: true, ...partyFilter(role, partyId, userId) }, { $set: { [`${role}.socketId`]: socketId, [`${role}.leaseUntil`]: leaseUntil } });
  if (rebound) return rebound;
  const call = await getCall({ id });
  return call?.live && call[role]?.partyId === partyId ? call : null;
}

/** Moves the lease of each party still on the given socket (renewal while connected, the grace period once it closed). */
export async function setLeases(parties: { id: string; role: PartyRole; socketId: string }[], leaseUntil: Date): Promise<void> {
  if (parties.length === 0) return;
  await (await calls()).bulkWrite(
    parties.map(({ id, role, socketId }) => ({
      updateOne: { filter: { _id: id, live: true, [`${role}.socketId`]: socketId }, update: { $set: { [`${role}.leaseUntil`]: leaseUntil } } },
    })),
    { ordered: false },
  );
}

const SWEEP_BATCH = 100;

/** Calls whose ringing time is up. */
export async function ringingPast({ now }: { now: Date }): Promise<CallDoc[]> {
  return (await calls()).find({ state: "ringing", ringUntil: { $lte: now } }).limit(SWEEP_BATCH).toArray();
}

/** Live calls one of whose parties' lease ran out: its tab went and did not come back, or its socket server stopped. */
export async function leasesPast({ now }: { now: Date }): Promise<CallDoc[]> {
  const collection = await calls();
  const [callers, callees] = await Promise.all(
    (["caller", "callee"] as const).map((role) =>
      collection.find({ live: true, [`${role}.leaseUntil`]: { $lte: now } }).limit(SWEEP_BATCH).toArray(),
    ),
  );
  return [...callers!, ...callees!];
}

/** Ended calls whose entry was not written (the process that ended them stopped in between). */
export async function unrecordedBefore({ before }: { before: Date }): Promise<CallDoc[]> {
  return (await calls()).find({ recorded: false, endedAt: { $lte: before } }).limit(SWEEP_BATCH).toArray();
}

export async function markRecorded({ id }: { id: string }): Promise<void> {
  await (await calls()).updateOne({ _id: id }, { $set: { recorded: true } });
}
