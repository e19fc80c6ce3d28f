import { createVerifier } from "fast-jwt";
import { SignJWT } from "jose";
import { getServerEnv } from "../env";

// Short-lived, bound to one user, signed with a secret the web app and the socket server share.
// The browser asks for a fresh one on every (re)connect, so a short lifetime costs nothing.
const AUDIENCE = "parley:realtime";
const ISSUER = "parley:web";

const key = () => new TextEncoder().encode(getServerEnv().REALTIME_TOKEN_SECRET);

// Verified synchronously with node:crypto (fast-jwt): jose verifies through WebCrypto, whose
// promise round trip made the token check about a tenth of a handshake's server time in a
// reconnect storm. One verifier per secret, without a cache (a token is seldom presented twice).
const verifiers = new Map<string, (token: string) => Record<string, unknown>>();
function verify(token: string): Record<string, unknown> {
  const secret = getServerEnv().REALTIME_TOKEN_SECRET;
  let verifier = verifiers.get(secret);
  if (!verifier) {
    verifier = createVerifier({ key: secret, algorithms: ["HS256"], allowedAud: AUDIENCE, allowedIss: ISSUER, requiredClaims: ["sub", "exp"], cache: false });
    verifiers.clear();
    verifiers.set(secret, verifier);
  }
  return verifier(token);
}

export async function signRealtimeToken({
  userId,
  name,
  sessionEpoch,
}: {
  userId: string;
  name: string;
  sessionEpoch: number;
}): Promise<{ token: string; expiresAt: string }> {
  const ttl = getServerEnv().REALTIME_TOKEN_TTL_SECONDS;
  const expiresAt = new Date(Date.now() + ttl * 1000);
  const token = await new SignJWT({ name, epoch: sessionEpoch })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key());
  return { token, expiresAt: expiresAt.toISOString() };
}

/** Throws on anything but a valid, unexpired HS256 token of ours (`alg: none` included). */
export function verifyRealtimeToken(token: string): { userId: string; name: string; expiresAt: number; sessionEpoch: number } {
  const payload = verify(token);
  if (typeof payload.sub !== "string" || !/^[a-f0-9]{24}$/.test(payload.sub)) throw new Error("token has no valid subject");
  const epoch = typeof payload.epoch === "number" && Number.isInteger(payload.epoch) ? payload.epoch : 0;
  return { userId: payload.sub, name: typeof payload.name === "string" ? payload.name : "", expiresAt: (typeof payload.exp === "number" ? payload.exp : 0) * 1000, sessionEpoch: epoch };
}
