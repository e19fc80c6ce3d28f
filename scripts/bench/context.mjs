// Everything a bench run stands on: the built socket server, the database, the load-generator
// child process, and (for the a/b/c/b′ phases) their seed and the four targets.
import { execFileSync, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveDatabase } from "../database.mjs";
import { root } from "../processes.mjs";
import { describeDatabase, mintTokens, planPopulation, seedDatabase } from "./seed.mjs";
import { describeTargets, ORIGIN, startTarget } from "./targets.mjs";

export const log = (line) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
const t0 = performance.now();

function startGenerator() {
  const child = fork(path.join(import.meta.dirname, "load-gen.mjs"), [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map();
  let nextId = 0;
  child.on("message", ({ id, result, error }) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (error) entry?.reject(new Error(`load generator: ${error}`));
    else entry?.resolve(result);
  });
  child.on("exit", (code) => {
    for (const { reject } of pending.values()) reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  return {
    pid: child.pid,
    call: (cmd, args = {}) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, ...args });
      }),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
}

/**
 * What every phase stands on: the built socket server, the database (`ownDatabase(name)` marks a
 * database a phase makes in it, dropped at the end on a shared MONGODB_URI) and the load
 * generator. `close()` stops each, and whatever a phase adds to `cleanups`, by its own pid.
 */
export async function createContext() {
  const cleanups = [];
  const context = { cleanups, close: async () => { for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined); } };
  try {
    log("building the socket server (scripts/build-socket-server.mjs)");
    execFileSync(process.execPath, ["scripts/build-socket-server.mjs"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });

    const dataDir = mkdtempSync(path.join(tmpdir(), "parley-bench-db-"));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const db = await resolveDatabase({ dataDir });
    cleanups.push(() => db.stop());
    context.db = db;
    context.dbPid = db.pid;
    context.database = await describeDatabase(db);
    log(`database: ${context.database}`);
    // A shared MONGODB_URI keeps no bench data behind; the embedded database's directory is removed.
    context.ownDatabase = (dbName) => {
      if (!db.embedded) cleanups.push(() => dropDatabase(db.uri, dbName));
    };

    const generator = startGenerator();
    cleanups.push(async () => generator.stop());
    context.generator = generator;
    log(`load generator pid ${generator.pid}`);
    return context;
  } catch (error) {
    await context.close();
    throw error;
  }
}

/**
 * The a/b/c/b′ comparison: seeds its whole population (users, rooms, memberships) before Parley
 * starts, so Parley builds its indexes on it at start, then starts the four targets.
 */
export async function startTargets(context, plan) {
  const dbName = `parley_bench_${randomBytes(4).toString("hex")}`;
  context.ownDatabase(dbName);
  const population = planPopulation(plan);
  const seeded = await seedDatabase({ uri: context.db.uri, dbName, population });
  log(`seeded ${JSON.stringify(seeded)} into ${dbName}`);

  const secret = randomBytes(32).toString("base64url");
  const parleyEnv = {
    NODE_ENV: "production",
    MONGODB_URI: context.db.uri,
    MONGODB_DB: dbName,
    NEXTAUTH_URL: ORIGIN,
    ALLOWED_ORIGINS: ORIGIN,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    REALTIME_TOKEN_SECRET: secret,
    INTERNAL_EVENTS_SECRET: randomBytes(32).toString("base64url"),
  };
  const tokens = await mintTokens({ secret, users: population.users });
  context.population = population;

  const nodeArgs = (key) => (key === "a" && process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);
  context.targets = {};
  for (const spec of describeTargets(parleyEnv)) {
    const target = await startTarget(spec, { nodeArgs: nodeArgs(spec.key) });
    context.cleanups.push(() => target.stop());
    context.targets[spec.key] = target;
  }
  log(`targets up: ${Object.values(context.targets).map((t) => `${t.key} pid ${t.pid}`).join(", ")}`);

  /** The clients of these user indexes, as `target` wants them (token for Parley, room for the relays). */
  context.members = (target, indexes) =>
    indexes.map((index) => {
      const room = population.rooms[population.roomOf[index]].id.toHexString();
      return { index, conversationId: room, room, auth: target.parley ? { token: tokens[index] } : { room } };
    });
}

/** Stops the four targets (the size phase runs Parley on its own databases). */
export async function stopTargets(context) {
  for (const target of Object.values(context.targets ?? {})) await target.stop();
}

async function dropDatabase(uri, dbName) {
  const { MongoClient } = await import("mongodb");
  const client = new MongoClient(uri);
  try {
    await client.connect();
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}
