// Where the counters live: this process's memory, or with Redis configured, Redis, where every
// socket server and web app process counts against the same budgets. Both are rate-limiter-flexible
// limiters behind one interface (same consume API).
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { POLICY_NAMES, type Policy, type PolicyName } from "./policies";

export type RateLimitDecision = { allowed: boolean; remaining: number; retryAfterMs: number };

export interface RateLimitStore {
  /** Takes `points` from the key's budget under the policy; refused when it is spent. */
  consume(policy: PolicyName, key: string, points?: number): Promise<RateLimitDecision>;
  /** Gives points back (an attempt that turned out not to count, such as a sign-in that succeeded). */
  refund(policy: PolicyName, key: string, points?: number): Promise<void>;
  /** Forgets the key (e.g. a successful sign-in clears that email's failures). */
  reset(policy: PolicyName, key: string): Promise<void>;
}

const decide = (res: RateLimiterRes, allowed: boolean): RateLimitDecision => ({
  allowed,
  remaining: res.remainingPoints,
  retryAfterMs: allowed ? 0 : Math.max(1, res.msBeforeNext),
});

type Limiter = RateLimiterMemory | RateLimiterRedis;

const memoryLimiter = (name: PolicyName, { points, seconds }: Policy) => new RateLimiterMemory({ keyPrefix: name, points, duration: seconds });

const byPolicy = (make: (name: PolicyName) => Limiter) => Object.fromEntries(POLICY_NAMES.map((name) => [name, make(name)])) as Record<PolicyName, Limiter>;

export function createMemoryStore(policies: Record<PolicyName, Policy>): RateLimitStore {
  return storeOf(byPolicy((name) => memoryLimiter(name, policies[name])));
}

/**
 * Counters in Redis, shared by every process. While Redis is not reachable each process counts
 * in its own memory (the insurance limiter), so limits still hold per process and nothing is
 * refused, or left waiting, because Redis is down.
 */
export function createRedisStore(policies: Record<PolicyName, Policy>, redis: Redis): RateLimitStore {
  return storeOf(
    byPolicy(
      (name) =>
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `parley:rl:${name}`,
          points: policies[name].points,
          duration: policies[name].seconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memoryLimiter(name, policies[name]),
        }),
    ),
  );
}

function storeOf(limiters: Record<PolicyName, Limiter>): RateLimitStore {
  return {
    async consume(policy, key, points = 1) {
      try {
        return decide(await limiters[policy].consume(key, points), true);
      } catch (rejection) {
        // A refusal arrives as a rejected RateLimiterRes; anything else is a store failure.
        if (rejection instanceof RateLimiterRes) return decide(rejection, false);
        throw rejection;
      }
    },
    async refund(policy, key, points = 1) {
      await limiters[policy].reward(key, points);
    },
    async reset(policy, key) {
      await limiters[policy].delete(key);
    },
  };
}
