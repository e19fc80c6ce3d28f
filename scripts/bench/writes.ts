// Message writes side by side: one insertOne per message (MESSAGE_WRITE_BATCH_MS=0) against the
// batching writer (lib/chat/message-batch.ts), on the real embedded database.
//
//   node --import tsx scripts/bench/writes.ts [--rounds 2] [--messages 2000] [--window 2]
//
// Each run is a fresh child process (its own pool, queues and remembered positions) that drives
// appendMessage in a fresh database of the one embedded server (so no run reads what an earlier
// one wrote: the first send to a conversation reads its highest positions), so the modes only
// differ by the setting. The runs are
// interleaved (A B C C B A, `rounds` times), so the machine's other load falls on every mode alike. Modes:
//   one-by-one        MESSAGE_WRITE_BATCH_MS=0: today's path
//   batched           MESSAGE_WRITE_BATCH_MS=<window>: one batch at a time, across conversations
//   per-conversation  one batcher per conversation (a batch holds one conversation only, and the
//                     conversations' batches are written concurrently): what batching within a
//                     conversation alone gives
// Scenarios: a burst (every message at once) into 1 and into 30 conversations, and a steady
// 2,000 messages/s into 30 conversations for 2 s. Printed: per mode the median over runs of the
// wall time, the throughput and the ack latency (p50, p99), then the ratios.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ObjectId } from "mongodb";

type Scenario = { name: string; conversations: number; messages: number; ratePerSecond: number | null };
type Mode = "one-by-one" | "batched" | "per-conversation";
type Run = { wallMs: number; perSecond: number; p50: number; p99: number; failed: number };

const MODES: Mode[] = ["one-by-one", "batched", "per-conversation"];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** In the child: creates the conversations, then appends every message and times the acks. */
async function child(scenario: Scenario, mode: Mode, windowMs: number): Promise<Run> {
  const { appendMessage } = await import("../../lib/chat/append");
  const { createMessageBatcher } = await import("../../lib/chat/message-batch");
  const { closeDb, getDb } = await import("../../lib/db/client");
  const db = await getDb();
  const sender = { _id: new ObjectId(), name: "Bench" };
  const conversationIds = Array.from({ length: scenario.conversations }, () => new ObjectId());
  await db.collection("conversations").insertMany(
    conversationIds.map((_id) => ({ _id, kind: "group", key: `group:${randomUUID()}`, name: "bench", createdBy: sender._id, createdAt: new Date(), lastMessage: null, lastActivityAt: new Date() })),
  );
  const batchers = new Map(conversationIds.map((id) => [id.toHexString(), createMessageBatcher({ windowMs })]));
  const send = (i: number) => {
    const conversationId = conversationIds[i % conversationIds.length]!;
    const message = {
      conversationId, senderId: sender._id, senderName: sender.name, clientMsgId: randomUUID(), kind: "text" as const, text: `message ${i}`,
      replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null,
    };
    const onConflict = async () => null;
    return mode === "per-conversation" ? batchers.get(conversationId.toHexString())!.append(message, onConflict) : appendMessage({ message, onConflict });
  };
  // Warm-up, one conversation at a time: the pool's connections and each conversation's remembered positions.
  for (let i = 0; i < conversationIds.length; i += 1) await send(i);

  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < scenario.messages; i += 1) {
    if (scenario.ratePerSecond) {
      const due = started + (i * 1000) / scenario.ratePerSecond;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const sentAt = performance.now();
    pending.push(send(i).then(() => latencies.push(performance.now() - sentAt), () => (failed += 1)));
  }
  await Promise.all(pending);
  const wallMs = performance.now() - started;
  await closeDb();
  latencies.sort((a, b) => a - b);
  // Throughput counts stored messages only: a send that failed (UNAVAILABLE under load) is not done.
  return { wallMs, perSecond: (latencies.length / wallMs) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failed };
}

function runChild(uri: string, scenario: Scenario, mode: Mode, windowMs: number): Promise<Run> {
  const env = { ...process.env, MONGODB_URI: uri, MONGODB_DB: `parley_bench_${randomUUID().slice(0, 8)}`, MESSAGE_WRITE_BATCH_MS: mode === "one-by-one" ? "0" : String(windowMs) };
  const args = ["--import", "tsx", import.meta.filename, "--child", JSON.stringify({ scenario, mode, windowMs })];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as Run);
      else reject(new Error(`${mode} run exited ${code}: ${out}`));
    });
  });
}

async function main() {
  const { values } = parseArgs({ options: { child: { type: "string" }, rounds: { type: "string", default: "2" }, messages: { type: "string", default: "2000" }, window: { type: "string", default: "2" } } });
  if (values.child) {
    const { scenario, mode, windowMs } = JSON.parse(values.child) as { scenario: Scenario; mode: Mode; windowMs: number };
    console.log(JSON.stringify(await child(scenario, mode, windowMs)));
    return;
  }
  const rounds = Number(values.rounds);
  const messages = Number(values.messages);
  const windowMs = Number(values.window);
  const scenarios: Scenario[] = [
    { name: `burst of ${messages / 2} into 1 conversation`, conversations: 1, messages: messages / 2, ratePerSecond: null },
    { name: `burst of ${messages} into 30 conversations`, conversations: 30, messages, ratePerSecond: null },
    { name: `2,000/s for ${messages / 2000} s into 30 conversations`, conversations: 30, messages, ratePerSecond: 2000 },
  ];

  const { resolveDatabase, SECANTUS_VERSION } = await import("../database.mjs");
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-bench-writes-"));
  const database = await resolveDatabase({ dataDir });
  console.log(`database: ${database.embedded ? `embedded SecantusDB ${SECANTUS_VERSION}` : "MONGODB_URI"}, window ${windowMs} ms, ${rounds} round(s) of ${[...MODES, ...[...MODES].reverse()].join(" ")}`);
  try {
    for (const scenario of scenarios) {
      const runs = new Map<Mode, Run[]>(MODES.map((mode) => [mode, []]));
      for (let round = 0; round < rounds; round += 1) {
        for (const mode of [...MODES, ...[...MODES].reverse()]) runs.get(mode)!.push(await runChild(database.uri, scenario, mode, windowMs));
      }
      console.log(`\n${scenario.name} (${runs.get("batched")!.length} runs per mode, medians)`);
      const summary = new Map(MODES.map((mode) => {
        const list = runs.get(mode)!;
        return [mode, { wallMs: median(list.map((r) => r.wallMs)), perSecond: median(list.map((r) => r.perSecond)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), failed: list.reduce((sum, r) => sum + r.failed, 0) }];
      }));
      for (const [mode, s] of summary) {
        console.log(`  ${mode.padEnd(17)} wall ${s.wallMs.toFixed(0).padStart(6)} ms  ${s.perSecond.toFixed(0).padStart(6)} msg/s  ack p50 ${s.p50.toFixed(1).padStart(7)} ms  p99 ${s.p99.toFixed(1).padStart(7)} ms  failed ${s.failed}`);
      }
      const base = summary.get("one-by-one")!;
      for (const mode of ["batched", "per-conversation"] as const) {
        const s = summary.get(mode)!;
        console.log(`  ${mode} / one-by-one: throughput x${(s.perSecond / base.perSecond).toFixed(2)}, ack p50 x${(s.p50 / base.p50).toFixed(2)}, p99 x${(s.p99 / base.p99).toFixed(2)}`);
      }
    }
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
