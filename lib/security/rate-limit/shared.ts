// For the web app: the counters that must be shared with socket traffic (per-user budgets). With
// Redis, every process counts there directly. Without it they are kept by the (one) socket server,
// asked over HTTP; when it cannot be reached, this process counts on its own instead: limits
// still hold per process (fail-safe), and nothing is refused just because it is down.
import { postInternal } from "../../fanout/internal-client";
import { redisConfigured } from "../../redis/client";
import { localRateLimitStore } from "./index";
import { rateLimitDecisionSchema, RATE_LIMIT_PATH, type RateLimitRequest } from "./internal";
import type { RateLimitDecision, RateLimitStore } from "./store";

const REMOTE_TIMEOUT_MS = 750;
/** After a failure, the local counters serve for this long before the socket server is tried again. */
const REMOTE_RETRY_AFTER_MS = 5_000;

const STATE = Symbol.for("parley.rateLimitRemote");
type RemoteState = { downUntil: number; store?: RateLimitStore };
const holder = globalThis as { [STATE]?: RemoteState };
const state = (): RemoteState => (holder[STATE] ??= { downUntil: 0 });

async function ask(request: RateLimitRequest): Promise<RateLimitDecision | null> {
  if (Date.now() < state().downUntil) return null;
  try {
    const response = await postInternal(RATE_LIMIT_PATH, request, REMOTE_TIMEOUT_MS);
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return rateLimitDecisionSchema.parse(await response.json());
  } catch (error) {
    console.warn(`[rate-limit] socket server unavailable (${(error as Error).message}); counting in this process for ${REMOTE_RETRY_AFTER_MS / 1000} s`);
    state().downUntil = Date.now() + REMOTE_RETRY_AFTER_MS;
    return null;
  }
}

/** Counters shared with the socket server, falling back to this process's own. */
export function sharedRateLimitStore(): RateLimitStore {
  if (redisConfigured()) return localRateLimitStore();
  const current = state();
  current.store ??= {
    async consume(policy, key, points = 1) {
      return (await ask({ op: "consume", policy, key, points })) ?? localRateLimitStore().consume(policy, key, points);
    },
    async refund(policy, key, points = 1) {
      if (!(await ask({ op: "refund", policy, key, points }))) await localRateLimitStore().refund(policy, key, points);
    },
    async reset(policy, key) {
      if (!(await ask({ op: "reset", policy, key }))) await localRateLimitStore().reset(policy, key);
    },
  };
  return current.store;
}
