// The reconnect storm, load-generator side: every client of a pool, once its connection drops,
// comes back the way socket.io-client does by default (first try after 1 s, doubling up to 5 s,
// ±50 % jitter), also against the raw relay. A refused connection (the server is not up yet, or
// the Socket.IO middleware answers connect_error) is retried the same way; the browser client
// fetches a fresh token and does the same.
import { sleep } from "./stats.mjs";
import { now } from "./wire.mjs";

const BASE_MS = 1_000;
const MAX_MS = 5_000;
const JITTER = 0.5;

function backoff(attempt) {
  const ms = Math.min(MAX_MS, BASE_MS * 2 ** attempt);
  const deviation = Math.random() * JITTER * ms;
  return Math.random() < 0.5 ? ms - deviation : ms + deviation;
}

export function armStorm(pool, openMember, { deadlineMs }) {
  const state = { dropped: 0, back: 0, refusals: 0, reasons: {}, lastBackAt: 0, backAt: [], stopAt: Infinity };
  pool.storm = state;
  const retry = (member, attempt) => {
    setTimeout(async () => {
      if (now() > state.stopAt) return;
      const result = await openMember(pool, member);
      if (result.ok) {
        state.back += 1;
        state.lastBackAt = now();
        state.backAt.push(state.lastBackAt);
        return;
      }
      state.refusals += 1;
      const reason = String(result.reason).slice(0, 60);
      state.reasons[reason] = (state.reasons[reason] ?? 0) + 1;
      member.client?.terminate();
      retry(member, attempt + 1);
    }, backoff(attempt));
  };
  for (const member of pool.members) {
    if (!member.client?.ready) continue;
    member.onClose = (wasReady) => {
      if (!wasReady || pool.storm !== state) return;
      state.dropped += 1;
      retry(member, 0);
    };
  }
  state.armed = pool.members.filter((m) => m.client?.ready).length;
  state.deadlineMs = deadlineMs;
  return { armed: state.armed };
}

/** Waits until every armed client is back, or the deadline after `killAt`; then stops retrying. */
export async function awaitStorm(pool, { killAt }) {
  const state = pool.storm;
  state.stopAt = killAt + state.deadlineMs;
  while (now() < state.stopAt && (state.dropped < state.armed || state.back < state.dropped)) await sleep(20);
  pool.storm = null;
  for (const member of pool.members) member.onClose = undefined;
  const allBack = state.back === state.armed;
  const backMs = state.backAt.map((at) => at - killAt).sort((x, y) => x - y);
  const at = (q) => (backMs.length ? backMs[Math.min(backMs.length - 1, Math.floor(q * backMs.length))] : NaN);
  return {
    clients: state.armed,
    dropped: state.dropped,
    back: state.back,
    failed: state.armed - state.back,
    allBackMs: allBack ? state.lastBackAt - killAt : Infinity,
    /** When half, and nine in ten, of those that came back were back. */
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    refusals: state.refusals,
    reasons: state.reasons,
  };
}
