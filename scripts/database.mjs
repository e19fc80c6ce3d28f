// MONGODB_URI when set; otherwise the embedded FerretDB, built once from the Go module proxy.
import path from "node:path";
import { ensureFerretDbBinary, startFerretDb } from "../tools/ferretdb/launch.mjs";
import { root } from "./processes.mjs";

export async function resolveDatabase({ dataDir = path.join(root, ".data/db"), port } = {}) {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, embedded: false, stop: async () => {} };
  try {
    await ensureFerretDbBinary({ root });
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  const db = await startFerretDb({ root, dataDir, port });
  return { uri: db.uri, embedded: true, pid: db.pid, stop: () => db.stop() };
}
