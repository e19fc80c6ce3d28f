// Builds Parley's indexes (lib/db/indexes.ts, the very list Parley applies at start) on a
// database the size phase has just seeded: `node --import tsx apply-indexes.ts <uri> <db>`.
// Parley's own connection bounds every operation at 2 s, which a build over 200,000 messages
// far exceeds; this client has no such bound.
import { MongoClient } from "mongodb";
import { applyIndexes } from "../../lib/db/indexes";

const [uri, dbName] = process.argv.slice(2);
if (!uri || !dbName) throw new Error("usage: apply-indexes.ts <mongodb uri> <database>");
const client = new MongoClient(uri, { appName: "parley-bench" });
await client.connect();
try {
  await applyIndexes(client.db(dbName));
} finally {
  await client.close();
}
