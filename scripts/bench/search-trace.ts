// A developer's measuring tool for search (not part of `npm run bench`): seeds one size of the
// data-size population (or uses an existing database), builds its search index with Parley's
// rebuild command, then runs the bench's query mix in this process through lib/chat/search.ts
// and prints, per query, its time and how many hits it found.
//
//   node --import tsx scripts/bench/search-trace.ts [20k|200k]      (embedded database in a temp dir)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveDatabase } from "../database.mjs";
import { RARE_WORD, seedSize } from "./seed-size.mjs";
import { planSizePopulation } from "./size-population.mjs";

const key = process.argv[2] ?? "20k";
const dataDir = mkdtempSync(path.join(tmpdir(), "parley-trace-db-"));
const db = await resolveDatabase({ dataDir });
const dbName = `trace_${key}`;
try {
  const plan = planSizePopulation({ sizes: [{ key: "20k", messages: 22_000 }, { key: "200k", messages: 200_000 }] });
  const seeded = await seedSize({ uri: db.uri, dbName, plan, key });
  console.log(`seeded in ${(seeded.seededMs / 1000).toFixed(1)} s, indexes ${(seeded.indexMs / 1000).toFixed(1)} s, search index ${JSON.stringify(seeded.search)}`);
  process.env.MONGODB_URI = db.uri;
  process.env.MONGODB_DB = dbName;
  const { getDb } = await import("../../lib/db/client");
  const { searchMessages } = await import("../../lib/chat/search");
  await getDb();
  const users = [...plan.big.members.slice(0, 3), ...plan.listUsers.slice(24, 27)];
  for (const u of users) {
    const group = plan.conversations.find((c: { kind: string; fixed: string | null; members: number[] }) => c.kind === "group" && c.fixed && c.members.includes(u))!;
    const other = plan.users[group.members.find((m: number) => m !== u)!]!.name;
    for (const q of ["deploy", RARE_WORD, "rel", "review ticket", '"looks good"', `from:"${other}"`, `in:"${group.name}"`]) {
      const t = performance.now();
      const result = await searchMessages({ userId: plan.users[u]!.id.toHexString(), input: { q } });
      const ms = performance.now() - t;
      console.log(`user ${u} ${JSON.stringify(q)}: ${ms.toFixed(0)} ms, ${result.hits.length} hits${result.partial ? " partial" : ""}`);
    }
  }
  const { closeDb } = await import("../../lib/db/client");
  await closeDb();
} finally {
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
