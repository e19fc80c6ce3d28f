// The named rate-limit policies, read from the validated environment. A transport names a policy;
// the numbers live here and in .env.local.example, nowhere else.
import type { ServerEnv } from "../../env";

export const POLICY_NAMES = ["messages", "requests", "uploads", "searches", "calls", "signInEmail", "signInIp", "signUpIp"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** At most `points` per window of `seconds`; a fixed window that starts with the key's first use. */
export type Policy = { points: number; seconds: number; message: string };

/**
 * Messages: "rate per second with a burst" is expressed as one window of `burst` points lasting
 * burst ÷ rate seconds (20 per 2 s by default). A window opens at a user's first send and
 * refills whole when it ends, so from rest a user gets at most
 *     burst · (⌊elapsed · rate ÷ burst⌋ + 1)  ≤  burst + rate · elapsed
 * messages in `elapsed` seconds: never more than a token bucket of that capacity and rate, and
 * exactly the rate on average. Unlike a token bucket it refills in one step, so after a burst
 * the wait is up to one window (2 s) instead of one token (0.1 s); and two bursts can meet at a
 * window edge (2 · burst in an instant, then a full window of waiting).
 * rate-limiter-flexible's BurstyRateLimiter was the other candidate; its burst budget refills on a
 * window of its own, which lets the long-run rate exceed `rate`.
 */
export function policiesFrom(env: ServerEnv): Record<PolicyName, Policy> {
  const rate = env.RATE_LIMIT_MESSAGES_PER_SECOND;
  const burst = env.RATE_LIMIT_MESSAGES_BURST;
  return {
    messages: { points: burst, seconds: burst / rate, message: "You are sending messages too fast; they will go out in a moment" },
    // Generous: a reconnect or an HTTP poll makes a handful at once; a flood of syncs is what it stops.
    requests: { ...env.RATE_LIMIT_REQUESTS, message: "Too many requests" },
    // Each upload is a file stored and sniffed (an image also decoded): counted apart from cheap requests.
    uploads: { ...env.RATE_LIMIT_UPLOADS, message: "You are uploading files too fast; wait a moment" },
    // A search reads the index in up to a dozen windows and checks what it finds: dearer than a sync.
    searches: { ...env.RATE_LIMIT_SEARCHES, message: "You are searching too fast; wait a moment" },
    // Ringing someone is loud: a handful of calls a minute is plenty for a person, and stops a ring flood.
    calls: { ...env.RATE_LIMIT_CALLS, message: "You are placing calls too fast; wait a moment" },
    signInEmail: { ...env.RATE_LIMIT_SIGN_IN_PER_EMAIL, message: "Too many failed sign-ins for this email" },
    signInIp: { ...env.RATE_LIMIT_SIGN_IN_PER_IP, message: "Too many failed sign-ins from this network" },
    signUpIp: { ...env.RATE_LIMIT_SIGN_UP_PER_IP, message: "Too many sign-ups from this network" },
  };
}
