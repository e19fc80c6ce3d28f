// The realtime token's check, on its own: what lib/auth/realtime-token.ts signs passes, and every
// other shape of token is refused. The socket handshake's suite refuses the same forgeries over
// the wire (test/integration/handshake.test.ts); this one adds the claims that are easy to miss.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SignJWT, UnsecuredJWT } from "jose";

process.env.MONGODB_URI ??= "mongodb://127.0.0.1:1";
const SECRET = "unit-test-realtime-secret-0123456789-abcdefgh";
process.env.REALTIME_TOKEN_SECRET = SECRET;
const { signRealtimeToken, verifyRealtimeToken } = await import("../../lib/auth/realtime-token");

const USER = "65a1b2c3d4e5f6a7b8c9d0e1";
const now = () => Math.floor(Date.now() / 1000);

function token(claims: Record<string, unknown>, { alg = "HS256", secret = SECRET, sub = USER as string | null, aud = "parley:realtime", iss = "parley:web", exp = now() + 600 as number | null } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg }).setAudience(aud).setIssuer(iss).setIssuedAt();
  if (sub !== null) jwt = jwt.setSubject(sub);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

describe("realtime token", () => {
  it("verifies what it signs, with the user, name, epoch and expiry", async () => {
    const { token: signed, expiresAt } = await signRealtimeToken({ userId: USER, name: "Ana", sessionEpoch: 3 });
    const claims = verifyRealtimeToken(signed);
    assert.deepEqual(claims, { userId: USER, name: "Ana", sessionEpoch: 3, expiresAt: Math.floor(Date.parse(expiresAt) / 1000) * 1000 });
  });

  it("refuses every forgery: signature, algorithm, audience, issuer, expiry, subject, shape", async () => {
    const valid = await token({ name: "Ana", epoch: 0 });
    const [head, body] = valid.split(".");
    const none = new UnsecuredJWT({}).setSubject(USER).setAudience("parley:realtime").setIssuer("parley:web").setExpirationTime(now() + 600).encode();
    const forged: [string, string][] = [
      ["wrong secret", await token({}, { secret: "another-secret-that-is-long-enough-0123456789" })],
      ["HS512", await token({}, { alg: "HS512" })],
      ["alg none", none],
      ["alg none with the real signature", `${none}${valid.split(".")[2]}`],
      ["changed payload", `${head}.${Buffer.from(JSON.stringify({ sub: "f".repeat(24), aud: "parley:realtime", iss: "parley:web", exp: now() + 600 })).toString("base64url")}.${valid.split(".")[2]}`],
      ["wrong audience", await token({}, { aud: "someone-else" })],
      ["wrong issuer", await token({}, { iss: "someone-else" })],
      ["expired", await token({}, { exp: now() - 5 })],
      ["no expiry", await token({}, { exp: null })],
      ["no subject", await token({}, { sub: null })],
      ["malformed subject", await token({}, { sub: "not-an-id" })],
      ["garbage", "aaaa.bbbb.cccc"],
      ["two parts", `${head}.${body}`],
      ["empty", ""],
    ];
    for (const [label, candidate] of forged) assert.throws(() => verifyRealtimeToken(candidate), Error, label);
  });
});
