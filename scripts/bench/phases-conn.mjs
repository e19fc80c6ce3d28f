// The connection-shaped measurements: fan-out to one big room, memory per idle connection, and
// the reconnect storm after kill -9. Each target's memory and storm run on a freshly started
// process so earlier phases' heap does not count.
import { log } from "./context.mjs";
import { settle } from "./phases-load.mjs";
import { median, sleep } from "./stats.mjs";
import { ORIGIN } from "./targets.mjs";
import { now } from "./wire.mjs";

const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

// Before a phase connects its clients: closing the last phase's clients makes Parley store each
// user's lastSeenAt (a few seconds later) and leaves that work queued in the database; it must
// not land on the next phase's handshakes. The relays are idle at once.
const BEFORE_CONNECTING_MS = 30_000;

/**
 * Connects these users to a target, retrying refusals, within `timeoutMs`, fifty handshakes in
 * flight for every target (Parley shares the database reads of the handshakes that arrive
 * together: socket-server/middleware/coalescer.ts).
 */
export async function connectPool(context, key, pool, indexes, { timeoutMs = 30_000 } = {}) {
  const target = context.targets[key];
  const concurrency = 50;
  const result = await context.generator.call("connect", {
    pool,
    target: { kind: target.kind, url: target.url, origin: ORIGIN },
    members: context.members(target, indexes),
    concurrency,
    timeoutMs,
  });
  log(`${key}: ${result.connected}/${indexes.length} connected in ${(result.ms / 1000).toFixed(1)} s${result.refusals ? ` (${result.refusals} refused attempts, retried: ${JSON.stringify(result.reasons)})` : ""}`);
  return result;
}

/** Fan-out to the big room: per target, connect its members, then `repeats` sends, in `order` then reversed. */
export async function fanout(context, { order, config }) {
  const { population } = context;
  const members = population.rooms[population.fanoutRoom].members;
  const results = Object.fromEntries(order.map((key) => [key, { runs: [], connect: null }]));
  for (const key of order) {
    await settle(context, key, BEFORE_CONNECTING_MS);
    results[key].connect = await connectPool(context, key, `fanout-${key}`, members, { timeoutMs: config.connectTimeoutMs[key] ?? config.connectTimeoutMs.default });
    await settle(context, key);
  }
  for (const key of [...order, ...[...order].reverse()]) {
    const runs = await context.generator.call("fanout", { pool: `fanout-${key}`, repeats: config.repeats, textSize: config.textSize, timeoutMs: config.timeoutMs, pauseMs: config.pauseMs });
    results[key].runs.push(...runs);
    log(`fan-out ${key}: last of ${runs[0]?.members ?? 0} after ${runs.map((r) => r.lastMs.toFixed(1)).join(", ")} ms`);
    await settle(context, key);
  }
  for (const key of order) await context.generator.call("close", { pool: `fanout-${key}` });
  return Object.fromEntries(order.map((key) => [key, { ...results[key], lastMs: median(results[key].runs.map((r) => r.lastMs)) }]));
}

/**
 * On a fresh process: RSS before and after `config.idle` idle connections; then all but
 * `config.storm` close, the process is killed with SIGKILL and started again at once (as a
 * supervisor would), and the clients reconnect with socket.io-client's default backoff.
 */
export async function memoryAndStorm(context, key, config) {
  const target = context.targets[key];
  await target.stop();
  await settle(context, key, BEFORE_CONNECTING_MS);
  await target.start();
  await sleep(config.baselineSettleMs);
  const before = target.rssKb();
  const pool = `idle-${key}`;
  const connected = await connectPool(context, key, pool, range(0, config.idle), { timeoutMs: config.connectTimeoutMs[key] ?? config.connectTimeoutMs.default });
  await settle(context, key);
  await sleep(config.idleSettleMs);
  const after = target.rssKb();
  const memory = { beforeKb: before, afterKb: after, connected: connected.connected, connectMs: connected.ms, perConnectionKb: connected.connected ? (after - before) / connected.connected : NaN };
  log(`memory ${key}: RSS ${(before / 1024).toFixed(1)} → ${(after / 1024).toFixed(1)} MB with ${connected.connected} idle connections: ${memory.perConnectionKb.toFixed(1)} kB each`);

  await context.generator.call("close", { pool, keep: config.storm });
  await settle(context, key);
  const armed = await context.generator.call("armStorm", { pool, deadlineMs: config.stormDeadlineMs });
  const killAt = now();
  await target.kill9();
  target.respawn();
  const storm = await context.generator.call("awaitStorm", { pool, killAt });
  log(
    `storm ${key}: ${storm.back}/${armed.armed} back, ${storm.failed} failed, all back after ${Number.isFinite(storm.allBackMs) ? `${(storm.allBackMs / 1000).toFixed(2)} s` : "—"}` +
      `, ${storm.refusals} refused attempts${storm.refusals ? ` ${JSON.stringify(storm.reasons)}` : ""}`,
  );
  await context.generator.call("close", { pool });
  await settle(context, key);
  return { memory, storm };
}
