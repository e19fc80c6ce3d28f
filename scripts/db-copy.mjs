// `npm run db:copy -- --from <uri> --to <uri>`: copies a Parley database, every collection and its
// indexes, from one MongoDB-compatible server to another (the embedded database to Atlas, say).
// Collections come from the source's own listing, so ones added after this script still travel.
// Values keep their exact BSON types; memory stays bounded (a cursor and one batch at a time).
// Run it again after an interruption (Ctrl-C, a crash, kill -9): it continues where it stopped
// and copies nothing twice. It ends by comparing every collection's count in both databases.
// Plain ESM with node built-ins and the driver, like the other scripts. See USAGE.
import { parseArgs } from "node:util";
import { MongoClient } from "mongodb";
import { copyCollection, Interrupted, planCopy, prepareTarget } from "./db-copy/copy-collection.mjs";
import { formatCount, formatTable, startProgress } from "./db-copy/progress.mjs";
import { checkTarget, collectionNames, isCopyable, recordFinish, recordStart } from "./db-copy/target.mjs";
import { loadEnvFiles } from "./processes.mjs";

const USAGE = `Usage: npm run db:copy -- --from <uri> --to <uri> [options]

Copies every collection of a Parley database, with its indexes, from one MongoDB server to
another. Stop Parley first (documents written during the copy may be missed). Run the same
command again to resume an interrupted copy; a finished one is not copied twice.

  --from <uri>       source, e.g. mongodb://127.0.0.1:27017/parley (the server of npm run db)
  --to <uri>         target, e.g. "mongodb+srv://user:password@cluster0.example.net/parley"
  --from-db <name>   source database when --from names none (default: MONGODB_DB, else parley)
  --to-db <name>     target database when --to names none (default: MONGODB_DB, else parley)
  --batch-size <n>   documents per insert, 1–100000 (default 1000; a batch also stops at 4 MB)
  --force            write into a target database that already holds other data
  -h, --help         show this text

Exit status: 0 when every collection's count matches, 1 when not or on an error,
2 for bad arguments, 130 when interrupted.`;

// A server that does not answer fails the run in seconds, not after the driver's default 30 s.
const CLIENT_OPTIONS = { appName: "parley-db-copy", serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 };

class UsageError extends Error {}

/** The database named by the URI's path (mongodb://host/parley), if any. */
function dbFromUri(uri) {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      to: { type: "string" },
      "from-db": { type: "string" },
      "to-db": { type: "string" },
      "batch-size": { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return { help: true };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const batchSize = Number(values["batch-size"] ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) throw new UsageError("--batch-size must be a whole number from 1 to 100000");
  const end = (flag) => {
    const uri = values[flag];
    if (!uri) throw new UsageError(`--${flag} <uri> is required`);
    const inUri = dbFromUri(uri);
    const given = values[`${flag}-db`];
    if (inUri && given && inUri !== given) throw new UsageError(`--${flag} names the database "${inUri}" and --${flag}-db "${given}": give one`);
    return { flag: `--${flag}`, uri, dbName: inUri ?? given ?? (process.env.MONGODB_DB || "parley") };
  };
  return { help: false, from: end("from"), to: end("to"), batchSize, force: values.force };
}

const redact = (uri) => uri.replace(/(\/\/[^:@/]*):[^@/]*@/, "$1:***@");
const plural = (n, word) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
const firstLine = (text) => String(text).split("\n")[0];

/** Connects to one end; the identity (hosts + database, no credentials) is what the target's marker records. */
async function connect({ flag, uri, dbName }) {
  let client;
  try {
    client = new MongoClient(uri, CLIENT_OPTIONS);
  } catch (error) {
    throw new UsageError(`${flag}: ${firstLine(error.message)}`);
  }
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`cannot connect to ${flag} ${redact(uri)}: ${firstLine(error.message)}`);
  }
  const { srvHost, hosts } = client.options;
  const id = `${srvHost ?? hosts.map(String).sort().join(",")}/${dbName}`;
  return { client, db: client.db(dbName), id };
}

async function connectBoth(options) {
  const ends = await Promise.allSettled([connect(options.from), connect(options.to)]);
  const failed = ends.find((end) => end.status === "rejected");
  if (!failed) return ends.map((end) => end.value);
  await Promise.all(ends.map((end) => end.status === "fulfilled" && end.value.client.close()));
  throw failed.reason;
}

/** The source's collections to copy (with their options); views and the like are named and left out. */
async function sourceCollections(source) {
  const all = (await source.db.listCollections().toArray()).filter((info) => isCopyable(info.name));
  for (const info of all.filter((c) => c.type !== "collection")) console.error(`skipping ${info.name}: a ${info.type}, not a collection`);
  const collections = all.filter((info) => info.type === "collection").sort((a, b) => a.name.localeCompare(b.name));
  if (collections.length === 0) throw new Error(`the source database ${source.id} has no collections: is that the right database name?`);
  return collections;
}

async function copyOne({ source, target, info, existing, merged, options, signal, width }) {
  const started = Date.now();
  const stats = { name: info.name, copied: 0, indexes: 0, seconds: 0 };
  const from = source.db.collection(info.name);
  const to = target.db.collection(info.name);
  stats.indexes = await prepareTarget({ sourceDb: source.db, targetDb: target.db, info, exists: existing.includes(info.name) });
  const plan = await planCopy({ source: from, target: to, merge: merged.some((m) => m.name === info.name) });
  const [total, present] = await Promise.all([from.countDocuments(), plan.merge ? 0 : to.countDocuments()]);
  const progress = startProgress({ name: info.name, total, done: present, width });
  try {
    await copyCollection({ source: from, target: to, plan, batchSize: options.batchSize, bypassValidation: Boolean(info.options?.validator), signal, progress, stats });
  } catch (error) {
    progress.abandon();
    if (!(error instanceof Interrupted)) error.message = `${info.name}: ${error.message}`;
    error.stats = stats;
    throw error;
  }
  progress.finish();
  stats.seconds = (Date.now() - started) / 1000;
  return stats;
}

/** Counts in both databases, after the copy: the run succeeds only when each pair is equal. */
async function verify({ source, target, results, merged }) {
  const rows = [];
  const problems = [];
  for (const { name, copied, indexes, seconds } of results) {
    const [inSource, inTarget] = await Promise.all([source.db.collection(name).countDocuments(), target.db.collection(name).countDocuments()]);
    const before = merged.find((m) => m.name === name)?.count;
    if (inSource !== inTarget) problems.push(`${name} (source ${formatCount(inSource)}, target ${formatCount(inTarget)}${before ? `; the target held ${formatCount(before)} before this copy, --force` : ""})`);
    rows.push([name, inSource, inTarget, copied, indexes, `${seconds.toFixed(1)}s`, inSource === inTarget ? "ok" : "DIFFERS"]);
  }
  console.log(formatTable(["collection", "source", "target", "copied", "indexes", "time", "count"], rows));
  return { problems, counts: rows.map(([name, count]) => ({ name, count })) };
}

async function run(options, signal) {
  const started = Date.now();
  const [source, target] = await connectBoth(options);
  try {
    if (source.id === target.id) throw new UsageError(`--from and --to are the same database (${source.id})`);
    const collections = await sourceCollections(source);
    const { resumed, merged } = await checkTarget({ target, sourceId: source.id, force: options.force });
    const existing = await collectionNames(target.db);
    await recordStart({ target, sourceId: source.id, merged });
    console.error(`${resumed ? "continuing the copy" : "copying"} ${source.id} → ${target.id}: ${plural(collections.length, "collection")}`);
    const width = Math.max(...collections.map((c) => c.name.length));
    const results = [];
    try {
      for (const info of collections) results.push(await copyOne({ source, target, info, existing, merged, options, signal, width }));
    } catch (error) {
      if (error.stats) results.push(error.stats);
      error.copied = results.reduce((sum, r) => sum + r.copied, 0);
      throw error;
    }
    const { problems, counts } = await verify({ source, target, results, merged });
    const copied = formatCount(results.reduce((sum, r) => sum + r.copied, 0));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (problems.length > 0) {
      console.error(`db:copy: ${copied} documents copied in ${seconds} s, but the counts differ: ${problems.join(", ")}`);
      return 1;
    }
    await recordFinish({ target, sourceId: source.id, counts });
    const extra = (await collectionNames(target.db)).filter((name) => !collections.some((c) => c.name === name));
    if (extra.length > 0) console.log(`The target also holds ${extra.join(", ")} (not in the source; left as they were).`);
    console.log(`db:copy: ${copied} documents copied in ${seconds} s; ${collections.length === 1 ? "the collection has" : `all ${collections.length} collections have`} the same counts in both databases.`);
    return 0;
  } finally {
    await Promise.all([source.client.close(), target.client.close()]);
  }
}

async function main() {
  loadEnvFiles(); // MONGODB_DB from .env.local, as the app sees it
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`db:copy: ${error.message}\nRun with --help for usage.`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  // The first Ctrl-C stops after the batch being written (the next run resumes); a second quits at once.
  const stop = new AbortController();
  process.once("SIGINT", () => {
    console.error("\nstopping after the current batch (Ctrl-C again to quit now; run the same command to resume)");
    stop.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  try {
    return await run(options, stop.signal);
  } catch (error) {
    if (error instanceof Interrupted) {
      console.error(`db:copy: interrupted after copying ${formatCount(error.copied ?? 0)} documents; run the same command again to continue.`);
      return 130;
    }
    const copied = error.copied ? ` (${formatCount(error.copied)} documents copied so far; running again continues from there)` : "";
    console.error(`db:copy: ${firstLine(error.message)}${copied}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main();
