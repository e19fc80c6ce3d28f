// When and how the outbox tries again: the backoff between attempts, and which transport each
// attempt takes. Pure functions of the attempt number, so tests pin them down exactly.

export type SendVia = "socket" | "http";

export type RetryPolicy = {
  /** Backoff before attempt n+1 is min(maxDelayMs, baseDelayMs·2ⁿ), jittered down to half. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts on a reachable network before the message shows "failed"; its queue then rests until a reconnect, a Retry or `restMs`. */
  attemptsBeforeFailed: number;
  restMs: number;
  random: () => number;
};

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 15_000, attemptsBeforeFailed: 8, restMs: 30_000, random: Math.random };

/** Socket twice, then the HTTP fallback once, and again; straight to HTTP while the socket is down. */
export function transportFor(attempt: number, socketUp: boolean): SendVia {
  return socketUp && attempt % 3 !== 2 ? "socket" : "http";
}

export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + policy.random() / 2));
}
