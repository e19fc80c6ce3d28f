import { MongoClient, type Db } from "mongodb";
import { getServerEnv } from "../env";
import { createBreaker, type Breaker } from "./breaker";
import { applyIndexes } from "./indexes";

// One MongoClient per process. In development Next.js re-evaluates modules on every edit,
// so the client hangs off globalThis to survive hot reloads instead of leaking pools.
type DbState = { client: MongoClient; db: Promise<Db> };
const globalForDb = globalThis as typeof globalThis & { __parleyDb?: DbState; __parleyDbBreaker?: Breaker };

// How long the health check and the breaker's probe wait for a ping.
const PING_TIMEOUT_MS = 1_000;

// Every stage of an operation is bounded, so that a stalled database (its TCP connections stay
// open, nothing answers) fails a send in about two seconds instead of hanging it. `timeoutMS`
// would bound the whole operation, but since driver 7.8 it is deprecated and has no effect (it
// could desynchronise the pool), so the per-stage options do the work:
const CLIENT_OPTIONS = {
  appName: "parley",
  serverSelectionTimeoutMS: 2_000,
  // Also the monitor's heartbeat timeout.
  connectTimeoutMS: 2_000,
  // Waiting for a reply: Parley's queries are single documents or short index ranges.
  socketTimeoutMS: 2_000,
  // Checking out a connection, including establishing one (which a stalled server never finishes).
  waitQueueTimeoutMS: 1_500,
  // A read that timed out would be retried on a fresh connection and time out again: twice the
  // wait for the same answer. Clients retry UNAVAILABLE themselves, with the same clientMsgId.
  retryReads: false,
  maxPoolSize: 50,
  // Acknowledged means journalled: a write Parley reports done (a message, a conversation, a
  // membership, a sign-out) survives a crash of the database. On MongoDB and on the embedded
  // database alike, `journal: true` waits for the journal to reach the disk. Watermarks and other
  // state that the next write or receipt restores anyway opt out (SOFT_WRITE).
  writeConcern: { w: 1, journal: true },
} as const;

/**
 * For writes whose loss in a database crash costs nothing lasting: the next receipt, message or
 * disconnect writes them again (read and delivered watermarks, list hints, last seen).
 * Acknowledged once applied; journalled within ~100 ms.
 */
export const SOFT_WRITE = { writeConcern: { w: 1, journal: false } } as const;

let replyTimeoutMs: number = CLIENT_OPTIONS.socketTimeoutMS;

/**
 * For commands that make long operations on purpose (the search rebuild's steps of hundreds of
 * messages, on a busy machine): a longer bound on a reply, set before the first getDb().
 */
export function setReplyTimeout(ms: number): void {
  if (globalForDb.__parleyDb) throw new Error("setReplyTimeout: the database client is already connected");
  replyTimeoutMs = ms;
}

function connect(): DbState {
  const env = getServerEnv();
  const client = new MongoClient(env.MONGODB_URI, { ...CLIENT_OPTIONS, socketTimeoutMS: replyTimeoutMs });
  // The driver's own signs that the database stopped answering, seen before the failed operation
  // returns to its caller: from then on, other operations fail at once.
  client.on("connectionClosed", (event) => {
    if (event.reason === "error") breaker().trip(new Error(`connection ${event.connectionId} to ${event.address} failed`));
  });
  client.on("connectionCheckOutFailed", (event) => {
    if (event.reason === "connectionError") breaker().trip(new Error(`could not open a connection to ${event.address}`));
  });
  client.on("serverHeartbeatFailed", (event) => breaker().trip(event.failure));

  const db = (async () => {
    await client.connect();
    const database = client.db(env.MONGODB_DB);
    await applyIndexes(database);
    return database;
  })();
  // A failed first connection must not be cached forever: the next call retries.
  db.catch((error: unknown) => {
    if (globalForDb.__parleyDb?.db === db) globalForDb.__parleyDb = undefined;
    breaker().trip(error);
    void client.close().catch(() => undefined);
  });
  return { client, db };
}

function connectedDb(): Promise<Db> {
  globalForDb.__parleyDb ??= connect();
  return globalForDb.__parleyDb.db;
}

function breaker(): Breaker {
  globalForDb.__parleyDbBreaker ??= createBreaker({ probe: ping });
  return globalForDb.__parleyDbBreaker;
}

/** A ping, bounded as a whole (first connection included). */
async function ping(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`ping not answered within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    timer.unref();
  });
  try {
    await Promise.race([
      connectedDb().then((db) => db.command({ ping: 1 }, { signal: AbortSignal.timeout(PING_TIMEOUT_MS) })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The database, for one operation. While the database is known not to answer, this rejects at
 * once with a retryable UNAVAILABLE AppError instead of letting the operation wait out its timeouts.
 */
export function getDb(): Promise<Db> {
  const unavailable = breaker().check();
  if (unavailable) return Promise.reject(unavailable);
  return connectedDb();
}

/**
 * Calls `listener` once, when the database is next found not answering (at once if it is known
 * down now); returns the unsubscribe. Work queued behind a stalled operation uses it to give up.
 */
export function onDbUnavailable(listener: (error: Error) => void): () => void {
  return breaker().onOpen(listener);
}

/** Reports that the database is not answering (a caller's own deadline passed, say): fail fast from now on. */
export function reportDbUnavailable(cause: unknown): void {
  breaker().trip(cause);
}

/** For health checks: false at once while the database is known down, else within ~1 s. */
export async function pingDb(): Promise<boolean> {
  if (breaker().isOpen()) return false;
  try {
    await ping();
    return true;
  } catch (error) {
    breaker().trip(error);
    return false;
  }
}

export async function closeDb(): Promise<void> {
  const state = globalForDb.__parleyDb;
  globalForDb.__parleyDb = undefined;
  if (state) await state.client.close();
}
