// The data-size phase's measuring tools: a bounded runner of timed requests, an HTTP reader signed
// with a next-auth session cookie, Parley sockets (socket.io-client) with acknowledged requests,
// and send→receive between two members of each of several conversations.
import { randomUUID } from "node:crypto";
import { encode } from "next-auth/jwt";
import { io } from "socket.io-client";
import { WORDS } from "./seed-size.mjs";
import { prng } from "./size-population.mjs";
import { quantile, sleep } from "./stats.mjs";
import { ORIGIN } from "./targets.mjs";
import { benchText, MARKER, now } from "./wire.mjs";

/**
 * Runs `run(i, signal)` for i in [0, count), `concurrency` at a time, until all are done or
 * `deadlineMs` has passed: then what is in flight is aborted and counted as unfinished, and the
 * rest is not started. Also not started once `giveUpAfter` requests have failed and none has
 * succeeded: each failure may leave a query running in the database, and the figures after this
 * one would pay for it. Failed and unfinished requests count as infinitely slow in the quantiles.
 *
 * With `perSecond`, requests arrive instead of waiting their turn: request i starts at its time in
 * a Poisson stream of that rate (seeded, so the same every run), whatever is still in flight, and
 * is timed from then. That is latency at a load, where `concurrency` measures a saturated server.
 */
export async function timedRequests({ count, concurrency, deadlineMs, run, giveUpAfter = Infinity, perSecond }) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), deadlineMs);
  // A request that ignores the abort (a hung socket, an ack that never comes) is left behind too.
  const deadline = new Promise((_, reject) => controller.signal.addEventListener("abort", () => reject(new Error("deadline")), { once: true }));
  deadline.catch(() => undefined);
  const samples = [];
  const errors = {};
  let started = 0;
  let unfinished = 0;
  let first = null;
  let gaveUp = false;
  const began = performance.now();
  const one = async (i) => {
    const t = performance.now();
    try {
      const result = await Promise.race([run(i, controller.signal), deadline]);
      samples.push(performance.now() - t);
      first ??= result;
    } catch (error) {
      if (controller.signal.aborted) unfinished += 1;
      else errors[String(error.message).slice(0, 60)] = (errors[String(error.message).slice(0, 60)] ?? 0) + 1;
      gaveUp = samples.length === 0 && Object.values(errors).reduce((a, b) => a + b, 0) >= giveUpAfter;
    }
  };
  const worker = async () => {
    while (started < count && !controller.signal.aborted && !gaveUp) await one(started++);
  };
  const arrivals = async () => {
    const random = prng(7);
    const inFlight = [];
    let at = 0;
    while (started < count && !controller.signal.aborted && !gaveUp) {
      at += -Math.log(1 - random()) * (1000 / perSecond);
      const wait = began + at - performance.now();
      if (wait > 0) await sleep(wait);
      if (controller.signal.aborted || gaveUp) break;
      inFlight.push(one(started++));
    }
    await Promise.all(inFlight);
  };
  await (perSecond ? arrivals() : Promise.all(Array.from({ length: concurrency }, worker)));
  clearTimeout(timer);
  const failed = Object.values(errors).reduce((a, b) => a + b, 0);
  return summarize(samples, { planned: count, started, failed, unfinished, errors, gaveUp, wallMs: performance.now() - began, first });
}

export function summarize(samples, extra) {
  const missing = (extra.failed ?? 0) + (extra.unfinished ?? 0);
  return { ...extra, completed: samples.length, p50: quantile(samples, 0.5, missing), p95: quantile(samples, 0.95, missing), p99: quantile(samples, 0.99, missing) };
}

/** A next-auth session cookie for the user, as lib/auth/options.ts's jwt callback makes it (sessionEpoch included). */
export async function sessionCookie({ secret, user }) {
  const token = await encode({ secret, token: { sub: user.id.toHexString(), name: user.name, email: null, sessionEpoch: 0 } });
  // NEXTAUTH_URL is http:// here, so next-auth uses its cookie name without the __Secure- prefix.
  return `next-auth.session-token=${token}`;
}

/** GET `path` on the web app as the cookie's user; resolves with the JSON body, rejects on any non-2xx. */
export async function getJson(webUrl, path, cookie, signal) {
  const response = await fetch(`${webUrl}${path}`, { headers: { cookie }, signal });
  const body = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status} ${body.slice(0, 40)}`);
  return JSON.parse(body);
}

/**
 * A Parley socket for one user; resolves once connected (its rooms are joined by then). Refused
 * as retryable (UNAVAILABLE: the server's database did not answer in time), it tries again after a
 * second, as Parley's own client reconnects, up to twice, and says so on stderr: opening sockets is
 * not what is timed.
 */
export async function openSocket(url, token, timeoutMs = 10_000) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSocketOnce(url, token, timeoutMs);
    } catch (error) {
      if (attempt > 2 || !String(error.message).includes("UNAVAILABLE")) throw error;
      process.stderr.write(`[bench] ${error.message}; connecting again in 1 s (attempt ${attempt + 1})\n`);
      await sleep(1_000);
    }
  }
}

function openSocketOnce(url, token, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ["websocket"], auth: { token }, extraHeaders: { origin: ORIGIN }, reconnection: false, forceNew: true });
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("connect timeout"));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect_error: ${error.message}`));
    });
  });
}

/** Emits a request and resolves with its ack's data; rejects on an error ack or an abort. */
export function request(socket, event, payload, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.emit(event, payload, (ack) => {
      signal?.removeEventListener("abort", onAbort);
      if (ack?.ok) resolve(ack.data);
      else reject(new Error(`${ack?.error?.code ?? "no ack"}: ${ack?.error?.message ?? ""}`));
    });
  });
}

/**
 * benchText's marker, then words of the seeded vocabulary up to `size` characters: what the search
 * index costs depends on the words (a padding of one repeated character would be one short key).
 */
function wordyText(i, size) {
  const random = prng(7 + i);
  let text = benchText(i, 0);
  for (;;) {
    const word = WORDS[Math.floor(random() * WORDS.length)];
    if (text.length + word.length + 1 > size) return text.padEnd(size, ".");
    text += ` ${word}`;
  }
}

/**
 * `rate` messages/s in total for `measureMs` (after `warmupMs` not counted), round-robin over the
 * pairs, each message from one member and timed until the other member's socket has its
 * `message:created`. Deliveries still missing `drainMs` after the last send count as infinitely late.
 */
export async function sendReceive(pairs, { rate, warmupMs, measureMs, drainMs, textSize = 120, keepSamples = false }) {
  const sentAt = new Map();
  const samples = [];
  let ackErrors = 0;
  const errors = {};
  pairs.forEach((pair, p) => {
    pair.sockets.forEach((socket, s) =>
      socket.on("message:created", ({ message }) => {
        const text = typeof message?.text === "string" ? message.text : "";
        if (!text.startsWith(MARKER)) return;
        const [, id] = text.split("|");
        const sent = sentAt.get(Number(id));
        // Only the other member's socket times it: the sender's own room copy is not a delivery.
        if (sent && sent.pair === p && sent.from !== s && sent.counted) samples.push(now() - sent.at);
      }),
    );
  });
  const start = now();
  let expected = 0;
  for (let i = 0; now() < start + warmupMs + measureMs; i++) {
    const due = start + (i * 1000) / rate;
    if (due > now()) await sleep(due - now());
    const p = i % pairs.length;
    const from = Math.floor(i / pairs.length) % 2;
    const at = now();
    const counted = at >= start + warmupMs;
    sentAt.set(i, { pair: p, from, at, counted });
    if (counted) expected += 1;
    // The marker's "sender" field carries the message number; the padding makes every text the same size.
    const text = wordyText(i, textSize);
    request(pairs[p].sockets[from], "message:send", { conversationId: pairs[p].conversationId, clientMsgId: randomUUID(), text }).catch((error) => {
      ackErrors += 1;
      errors[error.message.slice(0, 60)] = (errors[error.message.slice(0, 60)] ?? 0) + 1;
    });
  }
  const drainUntil = now() + drainMs;
  while (samples.length < expected && now() < drainUntil) await sleep(10);
  for (const pair of pairs) for (const socket of pair.sockets) socket.off("message:created");
  const result = summarize(samples, { planned: expected, sent: sentAt.size, failed: 0, unfinished: expected - samples.length, ackErrors, errors, rate });
  // For figures pooled over rounds (size-search.mjs sendWithAndWithoutIndex); deliveries that never came count as infinitely late.
  return keepSamples ? { ...result, samples: [...samples, ...Array(expected - samples.length).fill(Infinity)] } : result;
}
