// The load generator: a child process of the bench holding every lightweight client, so the
// orchestrator and its latency probes keep their own event loop (and core). Commands arrive over
// IPC as { id, cmd, ...args } and are answered with { id, result }.
import { randomUUID } from "node:crypto";
import { sleep } from "./stats.mjs";
import { armStorm, awaitStorm } from "./storm.mjs";
import { benchText, now, openClient } from "./wire.mjs";

/** name → { target, members: [{ index, conversationId, room, auth, client }], roomSize: Map<room, count>, stats, watch } */
const pools = new Map();

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Opens `pool.members[i].client` for each member; at most `concurrency` handshakes in flight. */
function openMember(pool, member) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (ok, reason) => {
      if (settled) return;
      settled = true;
      resolve({ ok, reason });
    };
    member.client = openClient({
      ...pool.target,
      auth: member.auth,
      room: member.room,
      handlers: {
        onReady: () => {
          member.onReady?.();
          done(true);
        },
        onFail: (reason) => {
          member.onFail?.(reason);
          done(false, reason);
        },
        onClose: (wasReady) => {
          member.onClose?.(wasReady);
          done(false, "closed");
        },
        onMessage: (marker, bytes) => receive(pool, member, marker, bytes),
        onAck: (ok) => {
          if (!pool.stats) return;
          if (ok) pool.stats.acks += 1;
          else pool.stats.ackErrors += 1;
        },
      },
    });
  });
}

function receive(pool, member, { sender, sentAt }, bytes) {
  const at = now();
  const watch = pool.watch;
  if (watch && sender === watch.sender && sentAt === watch.sentAt && member.index !== sender) watch.arrivals.push(at - sentAt);
  const stats = pool.stats;
  if (!stats || sender === member.index || !pool.light.has(sender)) return;
  if (sentAt < stats.from || sentAt >= stats.to) return;
  stats.samples.push(at - sentAt);
  stats.bytes += bytes;
}

async function connect({ pool: name, target, members, concurrency = 50, timeoutMs = 30_000, attempts = 5 }) {
  const pool = { target, members: members.map((m) => ({ ...m })), roomSize: new Map(), light: new Set(), stats: null, watch: null };
  for (const m of pool.members) {
    pool.roomSize.set(m.room, (pool.roomSize.get(m.room) ?? 0) + 1);
    pool.light.add(m.index);
  }
  pools.set(name, pool);
  const started = now();
  const deadline = started + timeoutMs;
  // Setting up is not the measurement: a refused handshake (a busy server answering UNAVAILABLE)
  // is retried after a pause, up to `attempts` times, and counted.
  const queue = pool.members.map((member) => ({ member, attempt: 0 }));
  let connected = 0;
  let refusals = 0;
  const failures = new Map();
  const worker = async () => {
    while (queue.length > 0 && now() < deadline) {
      const item = queue.shift();
      const result = await Promise.race([openMember(pool, item.member), sleep(deadline - now()).then(() => ({ ok: false, reason: "timeout" }))]);
      if (result.ok) {
        connected += 1;
        continue;
      }
      refusals += 1;
      const reason = String(result.reason).slice(0, 60);
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
      item.member.client?.terminate();
      if (++item.attempt < attempts) {
        await sleep(250);
        queue.push(item);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { connected, failed: pool.members.length - connected, refusals, reasons: Object.fromEntries(failures), ms: now() - started };
}

/** Sends `rate` messages/s spread over the pool's clients; measures what was sent after the warm-up. */
async function load({ pool: name, rate, warmupMs, measureMs, drainMs, textSize }) {
  const pool = pools.get(name);
  const senders = pool.members.filter((m) => m.client?.ready);
  const start = now();
  const stats = { from: start + warmupMs, to: start + warmupMs + measureMs, samples: [], bytes: 0, acks: 0, ackErrors: 0 };
  pool.stats = stats;
  let sent = 0;
  let sentInWindow = 0;
  let expected = 0;
  let cursor = 0;
  const cpuBefore = cpuMs();
  while (senders.length > 0 && now() < stats.to) {
    const due = Math.floor((rate * (now() - start)) / 1000) - sent;
    // A stalled loop does not burst: the shortfall shows up as an achieved rate below the offer.
    for (let i = 0; i < Math.min(due, Math.ceil(rate / 50)); i++) {
      const member = senders[cursor++ % senders.length];
      const t = now();
      const ok = member.client.send({ conversationId: member.conversationId, clientMsgId: randomUUID(), text: benchText(member.index, textSize) });
      sent += 1;
      if (ok && t >= stats.from) {
        sentInWindow += 1;
        expected += pool.roomSize.get(member.room) - 1;
      }
    }
    await sleep(4);
  }
  const cpuSending = cpuMs() - cpuBefore;
  const drainUntil = now() + drainMs;
  while (stats.samples.length < expected && now() < drainUntil) await sleep(10);
  pool.stats = null;
  return {
    offered: rate,
    readyAtStart: senders.length,
    readyAtEnd: senders.filter((m) => m.client.ready).length,
    achievedRate: (sentInWindow * 1000) / measureMs,
    sentInWindow,
    expected,
    received: stats.samples.length,
    samples: Float64Array.from(stats.samples),
    avgFrameBytes: stats.samples.length ? stats.bytes / stats.samples.length : NaN,
    acks: stats.acks,
    ackErrors: stats.ackErrors,
    generatorCpu: cpuSending / (warmupMs + measureMs),
  };
}

/** One member sends to the room `repeats` times; the time until every other member has it, each time. */
async function fanout({ pool: name, repeats, textSize, timeoutMs, pauseMs }) {
  const pool = pools.get(name);
  const ready = pool.members.filter((m) => m.client?.ready);
  const sender = ready[0];
  const runs = [];
  for (let r = 0; r < repeats && sender; r++) {
    const text = benchText(sender.index, textSize);
    const sentAt = Number(text.split("|")[2]);
    pool.watch = { sender: sender.index, sentAt, arrivals: [] };
    sender.client.send({ conversationId: sender.conversationId, clientMsgId: randomUUID(), text });
    const until = now() + timeoutMs;
    while (pool.watch.arrivals.length < ready.length - 1 && now() < until) await sleep(2);
    const arrivals = pool.watch.arrivals;
    runs.push({ members: ready.length - 1, arrived: arrivals.length, lastMs: arrivals.length === ready.length - 1 ? Math.max(...arrivals) : Infinity, firstMs: Math.min(...arrivals) });
    pool.watch = null;
    await sleep(pauseMs);
  }
  return runs;
}

async function close({ pool: name, keep = 0 }) {
  const pool = pools.get(name);
  if (!pool) return { closed: 0 };
  const gone = pool.members.slice(keep);
  for (const member of gone) member.client?.terminate();
  pool.members = pool.members.slice(0, keep);
  if (keep === 0) pools.delete(name);
  await sleep(100);
  return { closed: gone.length };
}

const commands = {
  connect,
  load,
  fanout,
  close,
  armStorm: (args) => armStorm(pools.get(args.pool), openMember, args),
  awaitStorm: (args) => awaitStorm(pools.get(args.pool), args),
};

process.on("message", async ({ id, cmd, ...args }) => {
  try {
    process.send({ id, result: await commands[cmd](args) });
  } catch (error) {
    process.send({ id, error: error instanceof Error ? error.stack : String(error) });
  }
});
process.on("disconnect", () => process.exit(0));
