// MONGODB_URI when set; otherwise the embedded SecantusDB (scripts/embedded-db/), installed once from PyPI.
import path from "node:path";
import { ensureEmbeddedDb, SECANTUS_VERSION, startEmbeddedDb } from "./embedded-db/launch.mjs";
import { root } from "./processes.mjs";

export { SECANTUS_VERSION };

/**
 * @returns {Promise<{ uri: string, embedded: boolean, pid?: number, exited?: Promise<{ code: number | null, signal: string | null }>, stop: () => Promise<void> }>}
 */
export async function resolveDatabase({ dataDir = path.join(root, ".data/db"), port } = {}) {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, embedded: false, stop: async () => {} };
  try {
    await ensureEmbeddedDb({ root });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const db = await startEmbeddedDb({ root, dataDir, port });
  return { uri: db.uri, embedded: true, pid: db.pid, exited: db.exited, stop: () => db.stop() };
}
