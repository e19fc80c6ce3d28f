import { MongoClient, type Db } from "mongodb";
import { getServerEnv } from "../env";
import { applyIndexes } from "./indexes";

// One MongoClient per process. In development Next.js re-evaluates modules on every edit,
// so the client hangs off globalThis to survive hot reloads instead of leaking pools.
type DbState = { client: MongoClient; db: Promise<Db> };
const globalForDb = globalThis as typeof globalThis & { __parleyDb?: DbState };

function connect(): DbState {
  const env = getServerEnv();
  const client = new MongoClient(env.MONGODB_URI, {
    appName: "parley",
    // Fail fast when the database is away: a send should answer UNAVAILABLE in seconds,
    // not hang for the driver's 30 s default.
    serverSelectionTimeoutMS: 2_000,
    connectTimeoutMS: 3_000,
    maxPoolSize: 50,
  });
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

export function getDb(): Promise<Db> {
  globalForDb.__parleyDb ??= connect();
  return globalForDb.__parleyDb.db;
}

export async function pingDb(): Promise<boolean> {
  try {
    const db = await getDb();
    await db.command({ ping: 1 }, { timeoutMS: 2_000 });
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
