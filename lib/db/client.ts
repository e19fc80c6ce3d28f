import { MongoClient, type Db } from "mongodb";
import { getServerEnv } from "../env";
import { applyIndexes } from "./indexes";

// One MongoClient per process. In development Next.js re-evaluates modules on every edit,
// so the client hangs off globalThis to survive hot reloads instead of leaking pools.
type DbState = { client: MongoClient; db: Promise<Db> };
const globalForDb = globalThis as typeof globalThis & { __parleyDb?: DbState };

// How long the health check waits for a ping.
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
} as const;

function connect(): DbState {
  const env = getServerEnv();
  const client = new MongoClient(env.MONGODB_URI, CLIENT_OPTIONS);
  const db = (async () => {
    await client.connect();
    const database = client.db(env.MONGODB_DB);
    await applyIndexes(database);
    return database;
  })();
  // A failed first connection must not be cached forever: the next call retries.
  db.catch(() => {
    if (globalForDb.__parleyDb?.db === db) globalForDb.__parleyDb = undefined;
    void client.close().catch(() => undefined);
  });
  return { client, db };
}

function connectedDb(): Promise<Db> {
  globalForDb.__parleyDb ??= connect();
  return globalForDb.__parleyDb.db;
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

export function getDb(): Promise<Db> {
  return connectedDb();
}

/** For health checks: answers within ~1 s, also when the database is stalled. */
export async function pingDb(): Promise<boolean> {
  try {
    await ping();
    return true;
  } catch {
    return false;
  }
}

export async function closeDb(): Promise<void> {
  const state = globalForDb.__parleyDb;
  globalForDb.__parleyDb = undefined;
  if (state) await state.client.close();
}
