// Where the counters live. Today: this process's memory. With Redis configured, a store built on
// rate-limiter-flexible's RateLimiterRedis slots in behind the same interface (same consume API).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
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

export function createMemoryStore(policies: Record<PolicyName, Policy>): RateLimitStore {
  const limiters = Object.fromEntries(
    POLICY_NAMES.map((name) => [name, new RateLimiterMemory({ keyPrefix: name, points: policies[name].points, duration: policies[name].seconds })]),
  ) as Record<PolicyName, RateLimiterMemory>;

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
