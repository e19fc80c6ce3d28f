// Short-lived TURN credentials in coturn's REST scheme (use-auth-secret): the TURN server and the
// web app share one secret, so the web app can hand a browser a password that works until a
// time it chooses, and nothing has to be stored or revoked. coturn recomputes the password from
// the username and refuses it once the username's time has passed.
import { createHmac } from "node:crypto";

export type TurnCredentials = {
  /** `<unix seconds of expiry>:<userId>`: coturn reads the expiry from the part before the colon. */
  username: string;
  /** base64 of HMAC-SHA1(secret, username). */
  credential: string;
  expiresAt: Date;
};

/** Pure: the same inputs always give the same credentials (`now` is a parameter for that reason). */
export function mintTurnCredentials({ secret, userId, ttlSeconds, now }: { secret: string; userId: string; ttlSeconds: number; now: Date }): TurnCredentials {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const username = `${expiry}:${userId}`;
  const credential = createHmac("sha1", secret).update(username).digest("base64");
  return { username, credential, expiresAt: new Date(expiry * 1000) };
}
