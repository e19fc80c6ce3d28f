// The database reads of a connection's set-up, coalesced across the connections being set up at
// the same moment (coalescer.ts): the user's session epoch and read-receipts setting (the
// handshake), and their conversations (the rooms they join). Batches stay within one `$in` slice
// (lib/db/in-chunks.ts), so each is one query.
import { connectionStates, conversationIdsOf, type ConnectionState } from "../../lib/chat";
import { IN_CHUNK } from "../../lib/db/in-chunks";
import { Coalescer } from "./coalescer";

// Two batches of each kind in flight keep the database busy without queueing at it; a handshake
// gives up after 20 s on the client, so a set-up waits at most half that for its turn.
const IN_FLIGHT = 2;
const MAX_WAIT_MS = 10_000;
// Under load a batch that is not full waits this long after the previous one (coalescer.ts): a
// handshake in a storm waits at most this much more per read, and the bench's storm of 2,000
// makes about 210 queries in all (its presence snapshots' included) instead of about 2,300.
const GAP_MS = 40;

export type SetupReads = {
  connectionState(userId: string): Promise<ConnectionState | null>;
  conversationIds(userId: string): Promise<string[]>;
};

export function createSetupReads(): SetupReads {
  const options = { maxBatch: IN_CHUNK, inFlight: IN_FLIGHT, maxWaitMs: MAX_WAIT_MS, gapMs: GAP_MS };
  const states = new Coalescer((userIds: string[]) => connectionStates({ userIds }), options);
  const conversations = new Coalescer((userIds: string[]) => conversationIdsOf({ userIds }), options);
  return {
    connectionState: (userId) => states.load(userId),
    conversationIds: (userId) => conversations.load(userId),
  };
}
