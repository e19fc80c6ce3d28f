import { jwtVerify, SignJWT } from "jose";
import { getServerEnv } from "../env";

// Short-lived, bound to one user, signed with a secret the web app and the socket server share.
// The browser asks for a fresh one on every (re)connect, so a short lifetime costs nothing.
const AUDIENCE = "parley:realtime";
const ISSUER = "parley:web";

const key = () => new TextEncoder().encode(getServerEnv().REALTIME_TOKEN_SECRET);

// Imported once: given the raw secret, jose imports it as a WebCrypto key on every verification,
// which was most of a handshake's token check.
const verificationKeys = new Map<string, Promise<CryptoKey>>();
function verificationKey(): Promise<CryptoKey> {
  const secret = getServerEnv().REALTIME_TOKEN_SECRET;
  let key = verificationKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    verificationKeys.clear();
    verificationKeys.set(secret, key);
  }
  return key;
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

/** Throws on anything but a valid, unexpired HS256 token of ours (jose refuses `alg: none`). */
export async function verifyRealtimeToken(token: string): Promise<{ userId: string; name: string; expiresAt: number; sessionEpoch: number }> {
  const { payload } = await jwtVerify(token, await verificationKey(), { algorithms: ["HS256"], audience: AUDIENCE, issuer: ISSUER });
  if (typeof payload.sub !== "string" || !/^[a-f0-9]{24}$/.test(payload.sub)) throw new Error("token has no valid subject");
  const epoch = typeof payload.epoch === "number" && Number.isInteger(payload.epoch) ? payload.epoch : 0;
  return { userId: payload.sub, name: typeof payload.name === "string" ? payload.name : "", expiresAt: (payload.exp ?? 0) * 1000, sessionEpoch: epoch };
}
