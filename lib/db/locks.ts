// A short lease on a key, shared by every process: the one place Parley needs mutual exclusion
// across processes. FerretDB applies an update as read, modify, write without isolation, so two
// processes changing one document can lose one change whatever its filter says; inserting a
// document whose _id is taken, though, fails atomically on every backend. A lease that outlives
// a crashed holder expires.
import { randomUUID } from "node:crypto";
import { getDb } from "./client";
import { isDuplicateKeyError } from "./messages";

type LockDoc = { _id: string; owner: string; expiresAt: Date };

const locks = async () => (await getDb()).collection<LockDoc>("locks");

const LEASE_MS = 5_000;
const WAIT_MS = 2_000;

/**
 * Runs `task` holding the lease on `key`; waits (briefly) while another holds it. Throws the
 * duplicate-key error when it cannot get it in time, for the caller to turn into a retryable error.
 */
export async function withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const col = await locks();
  const owner = randomUUID();
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await col.insertOne({ _id: key, owner, expiresAt: new Date(Date.now() + LEASE_MS) });
      break;
    } catch (error) {
      if (!isDuplicateKeyError(error) || Date.now() > deadline) throw error;
      const held = await col.findOne({ _id: key });
      // Its holder died: the lease is over. (Two waiters may both clear it; one then wins the insert.)
      if (held && held.expiresAt.getTime() < Date.now()) await col.deleteOne({ _id: key, owner: held.owner });
      else await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * Math.min(20, 2 * (attempt + 1))));
    }
  }
  try {
    return await task();
  } finally {
    await col.deleteOne({ _id: key, owner }).catch(() => undefined);
  }
}
