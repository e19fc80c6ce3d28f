// `npm run bench`: two phases. "compare": Parley's socket server side by side with a bare
// Socket.IO relay and a raw ws relay (plus an A/A repeat of the Socket.IO relay for the noise
// band), in one run, interleaved (about three minutes on two cores). "size": Parley's reads and
// sends at 20,000 and at 200,000 messages (size.mjs, about seven minutes; needs `npm run build`).
// BENCH_PHASES=size (or `-- --phases=size`) runs one of them; the default is both.
// Progress goes to stderr; the markdown tables to stdout and to bench-results/ (gitignored).
// Not part of `npm test`.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { root } from "../processes.mjs";
import { createContext, log, startTargets, stopTargets } from "./context.mjs";
import { connectPool, fanout, memoryAndStorm } from "./phases-conn.mjs";
import { fixedLoad, settle, sustainedRate } from "./phases-load.mjs";
import { openProbes } from "./probes.mjs";
import { renderReport } from "./report.mjs";
import { checkWebBuild, sizePhase } from "./size.mjs";

const config = {
  order: ["a", "b", "c", "b2"],
  singleOrder: ["b", "a", "c", "b2"],
  roomSize: 10,
  loadClients: 300,
  probes: 4,
  textSize: 120,
  fixedRate: 2000,
  fixedStep: { warmupMs: 500, measureMs: 2000, drainMs: 750 },
  // A wide ladder: on the embedded database Parley's rate is two orders of magnitude below the relays'.
  rates: [10, 25, 50, 100, 400, 1500, 3000, 5000, 8000],
  rateAttempts: 2,
  // The relays start at 1,500 msg/s, well below what they sustain: it keeps the run within its bound.
  firstRung: { a: 0, b: 5, c: 5, b2: 5 },
  rateStep: { warmupMs: 200, measureMs: 800, drainMs: 500, minMessages: 40 },
  p99BudgetMs: 100,
  fanoutMembers: 1000,
  fanoutRepeats: 3,
  idle: 3000,
  storm: 2000,
  stormDeadlineMs: 12_000,
  // Bounds on setting up: what is not connected by then is reported, and the phase goes on.
  // Parley's handshake reads the database (the user's session epoch, settings and memberships,
  // shared by the handshakes that arrive together: socket-server/middleware/coalescer.ts), and each
  // new connection's presence snapshot needs its contacts: it connects a few hundred a second where
  // the relays connect thousands. Issue 12's target is 3,000 within 20 s; the bound is 25 s so a
  // slower run still reports how many it reached, and how fast.
  loadConnectMs: 40_000,
  fanoutConnectMs: { a: 25_000, default: 20_000 },
  idleConnectMs: { a: 25_000, default: 20_000 },
};

const PHASES = ["compare", "size"];

/** The phases to run: `--phases=a,b` or BENCH_PHASES, else all. */
function selectPhases() {
  const flag = process.argv.find((arg) => arg.startsWith("--phases="))?.slice("--phases=".length);
  const chosen = (flag ?? process.env.BENCH_PHASES ?? PHASES.join(",")).split(",").map((p) => p.trim()).filter(Boolean);
  const unknown = chosen.filter((p) => !PHASES.includes(p));
  if (unknown.length || chosen.length === 0) throw new Error(`unknown phase ${unknown.join(", ") || "(none)"}: BENCH_PHASES takes ${PHASES.join(", ")}`);
  return new Set(chosen);
}

async function main() {
  const phases = selectPhases();
  if (phases.has("size")) checkWebBuild();
  const startedAt = Date.now();
  const loadBefore = loadavg();
  const context = await createContext();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await context.close();
  };
  process.once("SIGINT", () => void stop().then(() => process.exit(130)));
  try {
    const results = { startedAt, loadBefore, config, database: context.database };
    if (phases.has("compare")) {
      await startTargets(context, { totalUsers: config.idle, loadUsers: config.loadClients, roomSize: config.roomSize, fanoutMembers: config.fanoutMembers });
      results.compare = await compare(context);
      await stopTargets(context);
    }
    if (phases.has("size")) results.size = await sizePhase(context);
    results.durationMs = Date.now() - startedAt;

    const report = renderReport(results);
    const dir = path.join(root, "bench-results");
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}.md`);
    writeFileSync(file, report);
    writeFileSync(path.join(dir, "latest.md"), report);
    process.stdout.write(report);
    log(`done in ${(results.durationMs / 1000).toFixed(0)} s; written to ${path.relative(root, file)}`);
  } finally {
    await stop();
  }
}

/** Parley (a) against the relays (b, c) and the A/A repeat (b′). */
async function compare(context) {
  const startedAt = Date.now();
  const results = {};
  const probeIndexes = Array.from({ length: config.probes }, (_, i) => i);
  const lightIndexes = Array.from({ length: config.loadClients - config.probes }, (_, i) => i + config.probes);
  const probeSets = {};
  results.loadConnect = {};
  for (const key of config.order) {
    const target = context.targets[key];
    results.loadConnect[key] = await connectPool(context, key, `load-${key}`, lightIndexes, { timeoutMs: config.loadConnectMs });
    probeSets[key] = await openProbes(target, context.members(target, probeIndexes));
    await settle(context, key);
    log(`${key}: ${config.loadClients} load clients connected (${config.probes} probes)`);
  }

  const step = { ...config.fixedStep, textSize: config.textSize };
  results.fixed = await fixedLoad(context, { order: config.order, config: { rate: config.fixedRate, step }, probeSets, total: config.loadClients });
  const sustained = await sustainedRate(context, { order: config.order, config: { rates: config.rates, firstRung: config.firstRung, attempts: config.rateAttempts, p99BudgetMs: config.p99BudgetMs, step: { ...config.rateStep, textSize: config.textSize } } });
  results.sustained = sustained.perKey;
  results.sustainedSteps = sustained.steps;
  for (const key of config.order) {
    probeSets[key].close();
    await context.generator.call("close", { pool: `load-${key}` });
  }

  results.fanout = await fanout(context, { order: config.order, config: { repeats: config.fanoutRepeats, textSize: config.textSize, timeoutMs: 5_000, pauseMs: 150, connectTimeoutMs: config.fanoutConnectMs } });
  results.memory = {};
  for (const key of config.singleOrder) {
    results.memory[key] = await memoryAndStorm(context, key, { idle: config.idle, storm: config.storm, baselineSettleMs: 500, idleSettleMs: 700, connectTimeoutMs: config.idleConnectMs, stormDeadlineMs: config.stormDeadlineMs });
  }
  results.durationMs = Date.now() - startedAt;
  return results;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
