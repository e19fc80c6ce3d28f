// The markdown report: for the comparison, one table with the ratios a/b and a/c, the A/A noise
// band (b′/b), and what the numbers stand on (database, machine, step sizes, bounds); for the
// data-size phase, its own tables (report-size.mjs).
import { cpus, loadavg } from "node:os";
import { renderSize } from "./report-size.mjs";
import { fmt, quantile, ratio } from "./stats.mjs";

const avg = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

// Below this many connections the RSS difference is lost in the heap's own growth and collection.
const MIN_IDLE = 500;

const pooled = (runs, q) => {
  const samples = runs.flatMap((r) => Array.from(r.samples));
  return quantile(samples, q, runs.reduce((sum, r) => sum + Math.max(0, r.missing), 0));
};

/** Each metric: its value per target, which way is better, and the issue's target for a/b, if any. */
function metrics(results) {
  const byKey = (fn) => Object.fromEntries(["a", "b", "c", "b2"].map((key) => [key, fn(key)]));
  const fixed = (key) => results.fixed.filter((r) => r.key === key);
  const sustained = (key) => results.sustained[key]?.best?.deliveriesPerSecond ?? 0;
  return [
    { name: `handshakes/s while connecting the ${results.config.loadClients - results.config.probes} load clients (setup, ${results.config.roomSize} per room)`, values: byKey((k) => results.loadConnect[k].connected / (results.loadConnect[k].ms / 1000)), digits: 0 },
    { name: `p50 send→receive latency @ ${results.config.fixedRate} msg/s (ms)`, values: byKey((k) => pooled(fixed(k), 0.5)), digits: 1 },
    { name: `p99 send→receive latency @ ${results.config.fixedRate} msg/s (ms)`, values: byKey((k) => pooled(fixed(k), 0.99)), digits: 1, goal: "a/b ≤ 2", check: (r) => r <= 2 },
    { name: "p99 seen by the socket.io-client / ws probes (ms)", values: byKey((k) => quantile(fixed(k).flatMap((r) => r.probeRaw), 0.99)), digits: 1 },
    { name: "deliveries made at the fixed load (%)", values: byKey((k) => 100 * (fixed(k).reduce((s, r) => s + r.received, 0) / Math.max(1, fixed(k).reduce((s, r) => s + r.expected, 0)))), digits: 1 },
    { name: `CPU of the server process at the fixed load (% of a core)`, values: byKey((k) => 100 * avg(fixed(k).map((r) => r.serverCpu))), digits: 0 },
    { name: `CPU of the database at the fixed load (% of a core; only a uses it)`, values: byKey((k) => 100 * avg(fixed(k).map((r) => r.dbCpu))), digits: 0 },
    { name: "highest sustained deliveries/s with p99 ≤ 100 ms (≥: the ladder's top rung passed)", values: byKey(sustained), atLeast: byKey((k) => results.sustained[k] && !results.sustained[k].failedAt), digits: 0, goal: "a/b ≥ 0.5", check: (r) => r >= 0.5 },
    { name: `fan-out: members of the ${results.config.fanoutMembers}-member room connected within ${results.config.fanoutConnectMs.a / 1000} s (a) / ${results.config.fanoutConnectMs.default / 1000} s`, values: byKey((k) => results.fanout[k]?.connect.connected), digits: 0 },
    { name: "fan-out: time to connect them (s)", values: byKey((k) => (results.fanout[k]?.connect.ms ?? NaN) / 1000), digits: 1 },
    { name: "fan-out: time until the last connected member has it (ms, median)", values: byKey((k) => results.fanout[k]?.lastMs), digits: 1 },
    { name: "fan-out rate (deliveries/s = connected members ÷ time to last)", values: byKey((k) => (results.fanout[k]?.connect.connected - 1) / ((results.fanout[k]?.lastMs ?? NaN) / 1000)), digits: 0, goal: "a/b ≥ 0.85", check: (r) => r >= 0.85 },
    { name: `idle connections made within ${results.config.idleConnectMs.a / 1000} s (a) / ${results.config.idleConnectMs.default / 1000} s (of ${results.config.idle})`, values: byKey((k) => results.memory[k]?.memory.connected), digits: 0 },
    { name: "idle connections: time to make them (s)", values: byKey((k) => (results.memory[k]?.memory.connectMs ?? NaN) / 1000), digits: 1 },
    { name: `memory per idle connection (kB of RSS; — below ${MIN_IDLE} connections)`, values: byKey((k) => (results.memory[k]?.memory.connected >= MIN_IDLE ? results.memory[k].memory.perConnectionKb : NaN)), digits: 1, goal: "a/b ≤ 1.3", check: (r) => r <= 1.3 },
    { name: `reconnect storm: clients connected at the kill (of ${results.config.storm})`, values: byKey((k) => results.memory[k]?.storm.clients), digits: 0 },
    { name: "reconnect storm: half of them back after kill -9 (s)", values: byKey((k) => (results.memory[k]?.storm.p50Ms ?? NaN) / 1000), digits: 2 },
    { name: "reconnect storm: nine in ten back (s)", values: byKey((k) => (results.memory[k]?.storm.p90Ms ?? NaN) / 1000), digits: 2 },
    { name: "reconnect storm: all back after kill -9 (s)", values: byKey((k) => (results.memory[k]?.storm.allBackMs ?? NaN) / 1000), digits: 2, goal: "a/b ≤ 2", check: (r) => r <= 2 },
    { name: "reconnect storm: clients not back (failed)", values: byKey((k) => results.memory[k]?.storm.failed), digits: 0, goal: `a: all ${results.config.storm} back, 0 failed`, check: () => results.memory.a?.storm.clients === results.config.storm && results.memory.a?.storm.failed === 0, absolute: true },
  ];
}

export function renderReport(results) {
  const lines = [`## Parley benchmark — ${new Date(results.startedAt).toISOString()}`, ""];
  if (results.compare) lines.push(...renderCompare({ ...results.compare, config: results.config, loadBefore: results.loadBefore, database: results.database }), "");
  if (results.size) lines.push(...renderSize(results.size, results.database), "");
  lines.push(`Whole run: ${(results.durationMs / 1000).toFixed(0)} s on ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${results.loadBefore.map((x) => x.toFixed(2)).join(" ")} before and ${loadavg().map((x) => x.toFixed(2)).join(" ")} after.`);
  return lines.join("\n") + "\n";
}

function renderCompare(results) {
  const lines = ["### Parley (a) against a Socket.IO relay (b), a raw ws relay (c) and b again (b′)", ""];
  lines.push("| metric | (a) Parley | (b) Socket.IO relay | (c) raw ws relay | (b′) A/A repeat of b | a/b | a/c | noise band b′/b | target (a/b) |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const m of metrics(results)) {
    const v = m.values;
    const ab = v.a / v.b;
    const measured = m.absolute || Number.isFinite(ab) || ab === Infinity;
    const verdict = !m.goal ? "" : `${m.goal}: ${!measured ? "**not measured**" : (m.absolute ? m.check() : m.check(ab)) ? "**met**" : "**not met**"}`;
    const cell = (k) => `${m.atLeast?.[k] ? "≥ " : ""}${fmt(v[k], m.digits)}`;
    lines.push(`| ${m.name} | ${cell("a")} | ${cell("b")} | ${cell("c")} | ${cell("b2")} | ${ratio(v.a, v.b)} | ${ratio(v.a, v.c)} | ${ratio(v.b2, v.b)} | ${verdict} |`);
  }
  lines.push("", ...notes(results).filter(Boolean));
  return lines;
}

function notes(results) {
  const { config } = results;
  const flagged = [...results.fixed, ...results.sustainedSteps].filter((r) => r.generatorCpu > 0.85);
  const storm = Object.entries(results.memory).map(([k, r]) => `${k}: ${r.storm.back}/${r.storm.clients} back, ${r.storm.refusals} refused attempts${r.storm.refusals ? ` ${JSON.stringify(r.storm.reasons)}` : ""}`);
  const sustained = Object.entries(results.sustained).map(([k, r]) => `${k}: best ${r.best ? `${Math.round(r.best.rate)} msg/s` : "none"}, failed at ${r.failedAt ? `${Math.round(r.failedAt.rate)} msg/s (p99 ${fmt(r.failedAt.p99)} ms, delivered ${fmt(100 * r.failedAt.deliveredShare)} %, sent ${Math.round(r.failedAt.achievedRate)}/s, ack errors ${r.failedAt.ackErrors})` : "— (ladder top reached)"}`);
  const passes = ["a", "b", "c", "b2"].map((k) => `${k} ${results.fixed.filter((r) => r.key === k).map((r) => fmt(r.p99)).join(" / ")}`).join(", ");
  const frames = ["a", "b", "c"].map((k) => `${k} ${fmt([...results.fixed, ...results.sustainedSteps].find((r) => r.key === k && r.avgFrameBytes > 0)?.avgFrameBytes, 0)} B`).join(", ");
  // Where Parley's time goes: its lowest rung, where neither process is saturated by a backlog.
  const low = results.sustainedSteps.find((r) => r.key === "a");
  const perMessage = (cpu) => (cpu * (low.warmupMs + low.measureMs + low.drainMs)) / (low.rate * ((low.warmupMs + low.measureMs) / 1000));
  return [
    `- **Database:** ${results.database}. Loopback only; ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${results.loadBefore.map((x) => x.toFixed(2)).join(" ")} before and ${loadavg().map((x) => x.toFixed(2)).join(" ")} after: other work on the machine shows up in every column alike, and in the noise band.`,
    `- **Run:** ${(results.durationMs / 1000).toFixed(0)} s. Fixed load: ${config.loadClients} clients (${config.probes} of them socket.io-client / ws probes) in rooms of ${config.roomSize}, ${config.fixedRate} msg/s, ${config.fixedStep.warmupMs} ms warm-up + ${config.fixedStep.measureMs} ms measured + ≤ ${config.fixedStep.drainMs} ms drain per step, every target twice in the order ${config.order.join(" ")} then reversed; latencies pooled over both (p99 per pass: ${passes}). A delivery still missing after the drain counts as infinitely late.`,
    `- **Sustained rate:** one ${config.rateStep.measureMs} ms step (after ${config.rateStep.warmupMs} ms warm-up; longer at low rates, so a step holds at least ${config.rateStep.minMessages} messages) per rung, a second when the first fails, of ${config.rates.join(", ")} msg/s (× ${config.roomSize - 1} deliveries each), targets interleaved with alternating direction (the relays from ${config.rates[config.firstRung.b]} msg/s), each leaving at its first failure (p99 > ${config.p99BudgetMs} ms counting deliveries still missing after a ${config.rateStep.drainMs} ms drain as infinitely late, a send refused, or the offer not met). So the number is a rung of the ladder, not a bisection. ${sustained.join("; ")}.`,
    `- **Fan-out:** ${config.fanoutRepeats} sends per pass, two passes (order then reversed), the median of the ${config.fanoutRepeats * 2} times from the send until the last other connected member had it (for Parley that includes storing the message). **Memory and storm:** one pass per target in the order ${config.singleOrder.join(" ")} (b and b′ bracket the others, so drift shows in the noise band), each on a fresh process: VmRSS after ${config.idle} idle connections minus VmRSS before, over the connections made; then ${config.storm} stay, SIGKILL, immediate restart, socket.io-client's default backoff (1 s doubling to 5 s, ±50 %), deadline ${config.stormDeadlineMs / 1000} s. ${storm.join("; ")}.`,
    `- **Payloads:** every target gets the same message:send payload (conversationId, clientMsgId, ${config.textSize}-character text); average received frame: ${frames} (Parley broadcasts its full message DTO, the relays echo the payload). Parley runs with relaxed rate limits (as the tests do), so this measures throughput, not the limiter.`,
    low
      ? `- **Parley's cost per message** at ${low.rate} msg/s: the database used ${fmt(100 * low.dbCpu, 0)} % of a core and the server ${fmt(100 * low.serverCpu, 0)} %, about ${fmt(perMessage(low.dbCpu), 1)} ms and ${fmt(perMessage(low.serverCpu), 1)} ms of CPU per message sent (relays: no database).`
      : "",
    flagged.length
      ? `- **Generator-bound steps** (load generator above 85 % of a core, so those numbers are a floor for the server, not its limit): ${flagged.map((r) => `${r.key} @${Math.round(r.rate)}/s`).join(", ")}.`
      : "- The load generator stayed below 85 % of a core in every step.",
  ];
}
