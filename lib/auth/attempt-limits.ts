// Brute-force limits on the account endpoints, counted in this (the web) process: sign-in per
// email and per client IP, sign-up per client IP. See lib/security/client-ip.ts for the IP.
import { authenticate } from "../chat/users";
import { getServerEnv } from "../env";
import { clientIp } from "../security/client-ip";
import { enforce, localRateLimitStore, rateLimitedError } from "../security/rate-limit";

type HeaderSource = Parameters<typeof clientIp>[0];

function emailKey(credentials: unknown): string | null {
  const email = (credentials as { email?: unknown } | undefined)?.email;
  if (typeof email !== "string") return null;
  const key = email.trim().toLowerCase().slice(0, 320);
  return key === "" ? null : key;
}

/**
 * The credentials check with its limits. Every attempt is counted before the password is
 * checked, so a thousand parallel guesses cannot all pass before the first is counted; a
 * success then gives its points back, so only failures use up the budget. While an email is
 * limited even its right password is refused: otherwise the guess that hits would still tell.
 * Throws RATE_LIMITED (an AppError) when limited; null for wrong credentials.
 */
export async function authenticateWithLimits(credentials: unknown, headers: HeaderSource) {
  const store = localRateLimitStore();
  const ip = clientIp(headers, getServerEnv().TRUST_PROXY);
  const email = emailKey(credentials);
  const [byIp, byEmail] = await Promise.all([
    store.consume("signInIp", ip),
    email ? store.consume("signInEmail", email) : Promise.resolve(null),
  ]);
  const refused =
    byEmail && !byEmail.allowed ? rateLimitedError("signInEmail", byEmail)
    : !byIp.allowed ? rateLimitedError("signInIp", byIp)
    : null;
  if (refused) throw refused;

  const user = await authenticate({ input: credentials });
  if (user) {
    await Promise.all([store.refund("signInIp", ip), email ? store.reset("signInEmail", email) : undefined]);
  }
  return user;
}

/** Sign-up (the route and the form's action): throws RATE_LIMITED for too many from one IP. */
export async function enforceSignUpLimit(headers: HeaderSource): Promise<void> {
  await enforce(localRateLimitStore(), "signUpIp", clientIp(headers, getServerEnv().TRUST_PROXY));
}
