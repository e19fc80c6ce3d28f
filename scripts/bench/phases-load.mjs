// The two message-rate measurements: latency at the fixed load, and the highest sustained rate
// whose p99 stays within budget. Both run the targets interleaved, so drift (another process on
// the machine, thermal limits) spreads over all of them instead of landing on one.
import { log } from "./context.mjs";
import { quantile, sleep } from "./stats.mjs";
import { readCpuMs } from "./targets.mjs";

/**
 * Waits (at most `maxMs`) until the target, the database and the load generator have each used
 * under 10 % of a core for two windows of 200 ms in a row: a backlog one step leaves behind
 * (queued sends still being written, late deliveries) must not slow the next.
 */
export function settle(context, key, maxMs = 8_000) {
  return settlePids([context.targets[key].pid, context.dbPid, context.generator.pid], maxMs);
}

/** The same for any processes: resolves with the time it waited. */
export async function settlePids(pids, maxMs = 8_000) {
  pids = pids.filter(Boolean);
  const start = performance.now();
  let quiet = 0;
  while (quiet < 2 && performance.now() - start < maxMs) {
    const before = pids.map(readCpuMs);
    await sleep(200);
    quiet = pids.every((pid, i) => !(readCpuMs(pid) - before[i] >= 20)) ? quiet + 1 : 0;
  }
  return performance.now() - start;
}

/** One step on one target: the generator's clients plus (optionally) the probes, at `rate` messages/s in total. */
export async function runStep(context, key, { rate, warmupMs, measureMs, drainMs, textSize, probes }) {
  const target = context.targets[key];
  const lightShare = probes ? (probes.total - probes.set.count) / probes.total : 1;
  const cpuBefore = target.cpuMs();
  const dbCpuBefore = context.dbPid ? readCpuMs(context.dbPid) : NaN;
  const [load, probeSamples] = await Promise.all([
    context.generator.call("load", { pool: `load-${key}`, rate: rate * lightShare, warmupMs, measureMs, drainMs, textSize }),
    probes ? probes.set.run({ perClientRate: rate / probes.total, warmupMs, measureMs, drainMs, textSize }) : Promise.resolve(null),
  ]);
  const serverCpu = (target.cpuMs() - cpuBefore) / (warmupMs + measureMs + drainMs);
  // The embedded database's share of a core over the step (only Parley uses it): where Parley's time goes.
  const dbCpu = (readCpuMs(context.dbPid) - dbCpuBefore) / (warmupMs + measureMs + drainMs);
  const missing = load.expected - load.received;
  const result = {
    key,
    rate,
    p50: quantile(load.samples, 0.5, missing),
    p99: quantile(load.samples, 0.99, missing),
    probeP50: probeSamples ? quantile(probeSamples, 0.5) : NaN,
    probeP99: probeSamples ? quantile(probeSamples, 0.99) : NaN,
    // Probes that heard nothing at all (every delivery later than the drain) count as one infinitely late sample.
    probeRaw: probeSamples && probeSamples.length === 0 ? [Infinity] : (probeSamples ?? []),
    deliveredShare: load.expected ? load.received / load.expected : NaN,
    deliveriesPerSecond: (load.received * 1000) / measureMs,
    achievedRate: load.achievedRate / lightShare,
    clients: `${load.readyAtEnd}/${load.readyAtStart}`,
    ackErrors: load.ackErrors,
    avgFrameBytes: load.avgFrameBytes,
    generatorCpu: load.generatorCpu,
    serverCpu,
    dbCpu,
    samples: load.samples,
    received: load.received,
    expected: load.expected,
    missing,
  };
  result.settledMs = await settle(context, key);
  return result;
}

const describe = (r) =>
  `${r.key} @${Math.round(r.rate)}/s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (probes ${r.probeP99.toFixed(1)}), ` +
  `delivered ${(r.deliveredShare * 100).toFixed(1)} %, clients still connected ${r.clients}, sent ${Math.round(r.achievedRate)}/s, ack errors ${r.ackErrors}, ` +
  `cpu server ${(r.serverCpu * 100).toFixed(0)} % / database ${(r.dbCpu * 100).toFixed(0)} % / generator ${(r.generatorCpu * 100).toFixed(0)} %`;

/** The fixed load, each target twice: in `order`, then reversed. */
export async function fixedLoad(context, { order, config, probeSets, total }) {
  const runs = [];
  for (const key of [...order, ...[...order].reverse()]) {
    const result = await runStep(context, key, { ...config.step, rate: config.rate, probes: { set: probeSets[key], total } });
    log(`fixed load ${describe(result)}${result.settledMs > 400 ? ` (waited ${(result.settledMs / 1000).toFixed(1)} s for it to go idle)` : ""}`);
    runs.push(result);
  }
  return runs;
}

/**
 * The highest rate each target sustains with p99 ≤ budget (deliveries missing after the drain
 * counting as infinitely late), no send refused and the offer met: a rising ladder, the targets interleaved at each rung (alternating direction), each
 * target leaving the ladder at its first failure. Bounded: `rates.length` rungs of one short step.
 */
export async function sustainedRate(context, { order, config }) {
  const best = Object.fromEntries(order.map((key) => [key, null]));
  const failedAt = {};
  const steps = [];
  for (const [rung, rate] of config.rates.entries()) {
    // A target starts at its own first rung (the relays skip the lowest ones Parley needs); skipped rungs below it count as passed.
    const keys = (rung % 2 === 0 ? order : [...order].reverse()).filter((key) => !(key in failedAt) && rung >= (config.firstRung[key] ?? 0));
    if (order.every((key) => key in failedAt)) break;
    for (const key of keys) {
      // One short step is at the mercy of anything else the machine does: a rung fails only when two attempts do.
      let result;
      let pass = false;
      for (let attempt = 0; attempt < config.attempts && !pass; attempt++) {
        // At the lowest rungs a short step would hold a handful of messages: it lasts long enough for minMessages.
        const step = { ...config.step, measureMs: Math.max(config.step.measureMs, (1000 * config.step.minMessages) / rate) };
        result = { ...(await runStep(context, key, { ...step, rate })), warmupMs: step.warmupMs, measureMs: step.measureMs, drainMs: step.drainMs };
        // A delivery missing after the drain already counts as infinitely late in the p99.
        pass = result.p99 <= config.p99BudgetMs && result.achievedRate >= 0.95 * rate && result.ackErrors === 0;
        log(`rate ${pass ? "pass" : "FAIL"} ${describe(result)}`);
        steps.push({ ...result, pass, samples: undefined, probeRaw: undefined });
      }
      if (pass) best[key] = result;
      else failedAt[key] = result;
    }
  }
  return { perKey: Object.fromEntries(order.map((key) => [key, { best: best[key], failedAt: failedAt[key] ?? null }])), steps };
}
