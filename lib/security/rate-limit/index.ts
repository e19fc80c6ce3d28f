// Rate limits: named policies (policies.ts) over a counter store (store.ts). Transports call
// `enforce` through their central wrappers (runAction/runRoute, withAck) by naming a policy;
// nothing is written for a refused request, which fails as RATE_LIMITED, retryable.
import { getServerEnv } from "../../env";
import { AppError } from "../../errors";
import { policiesFrom, type PolicyName } from "./policies";
import { getRedis } from "../../redis/client";
import { createMemoryStore, createRedisStore, type RateLimitDecision, type RateLimitStore } from "./store";

export type { PolicyName } from "./policies";
export type { RateLimitDecision, RateLimitStore } from "./store";

/** "12 s" or "15 minutes": how long until a refused request can succeed, for people to read. */
export function describeWait(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`;
}

export function rateLimitedError(policy: PolicyName, decision: RateLimitDecision): AppError {
  const { message } = policiesFrom(getServerEnv())[policy];
  return new AppError("RATE_LIMITED", `${message}; try again in ${describeWait(decision.retryAfterMs)}`, { retryAfterMs: decision.retryAfterMs });
}

// On globalThis: a Next.js production build can give each route its own copy of a lib/ module
// (see lib/errors.ts), and every route of the process must count against the same budgets.
const LOCAL_STORE = Symbol.for("parley.rateLimitStore");
type WithStore = { [LOCAL_STORE]?: RateLimitStore };

/** The counters this process keeps: in Redis when it is configured (shared by every process), else in its memory. */
export function localRateLimitStore(): RateLimitStore {
  const holder = globalThis as WithStore;
  if (!holder[LOCAL_STORE]) {
    const policies = policiesFrom(getServerEnv());
    const redis = getRedis();
    holder[LOCAL_STORE] = redis ? createRedisStore(policies, redis) : createMemoryStore(policies);
  }
  return holder[LOCAL_STORE];
}

/** Takes one point (or `points`) from `key`'s budget, or throws RATE_LIMITED with the wait. */
export async function enforce(store: RateLimitStore, policy: PolicyName, key: string, points = 1): Promise<void> {
  const decision = await store.consume(policy, key, points);
  if (!decision.allowed) throw rateLimitedError(policy, decision);
}
