// Brute-force limits on sign-in (per email, per client IP) and sign-up (per client IP), with the
// production defaults except the sign-in per-IP count (20 instead of 50, to keep the test short).
// TRUST_PROXY=1 plays a reverse proxy: each request's X-Forwarded-For names the client it stands for.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import { startStack, type Stack } from "../support/stack";
import { createUser, type TestUser } from "../support/users";

const PER_EMAIL = 10;
const PER_IP = 20;
const SIGN_UPS_PER_IP = 10;

let stack: Stack;

const cookiesFrom = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);

/**
 * One sign-in through next-auth's credentials flow from `ip`: "ok", or the error it answers as
 * "CODE: message" (the one error body, which next-auth carries JSON-encoded in its `error`).
 */
async function attemptSignIn(email: string, password: string, ip: string): Promise<string> {
  const csrf = await fetch(`${stack.webUrl}/api/auth/csrf`, { headers: { "x-forwarded-for": ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${stack.webUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesFrom(csrf).join("; "), "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  if (cookiesFrom(callback).some((cookie) => cookie.includes("session-token"))) return "ok";
  const { url } = (await callback.json()) as { url: string };
  const error = new URL(url).searchParams.get("error");
  if (error === null) return `no error (${callback.status})`;
  const body = JSON.parse(error) as { code: string; message: string; retryable: boolean; retryAfterMs?: number };
  assert.equal(body.retryable, body.code === "RATE_LIMITED", error);
  if (body.code === "RATE_LIMITED") assert.ok(body.retryAfterMs! > 0, error);
  return `${body.code}: ${body.message}`;
}

const unknownEmail = () => `nobody.${randomBytes(4).toString("hex")}@example.test`;
const tally = (answers: string[]) => ({
  wrong: answers.filter((a) => a === "UNAUTHORIZED: Wrong email or password").length,
  limited: answers.filter((a) => a.startsWith("RATE_LIMITED:")).length,
  ok: answers.filter((a) => a === "ok").length,
});

function register(email: string, ip: string) {
  return fetch(`${stack.webUrl}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: JSON.stringify({ name: "Sign Up", email, password: `pw-${randomBytes(8).toString("hex")}` }),
  });
}

describe("sign-in and sign-up limits", { timeout: 180_000 }, () => {
  let erin: TestUser;
  let grace: TestUser;

  before(async () => {
    stack = await startStack({ rateLimits: "production", env: { TRUST_PROXY: "1", RATE_LIMIT_SIGN_IN_PER_IP: `${PER_IP}/900` } });
    [erin, grace] = (await Promise.all([createUser(stack, "Erin Brute"), createUser(stack, "Grace Brute")])) as [TestUser, TestUser];
  });

  after(async () => {
    await stack?.stop();
  });

  it("limits failed sign-ins per email, counting parallel guesses; then even the right password waits", async () => {
    const guesses = await Promise.all(Array.from({ length: PER_EMAIL + 5 }, (_, i) => attemptSignIn(erin.email, `wrong-${i}`, "203.0.113.7")));
    const counts = tally(guesses);
    console.log(`per email: ${JSON.stringify(counts)} of ${guesses.length} parallel wrong passwords`);
    assert.deepEqual(counts, { wrong: PER_EMAIL, limited: 5, ok: 0 });
    const limited = guesses.find((a) => a.startsWith("RATE_LIMITED:"))!;
    assert.match(limited, /Too many failed sign-ins for this email; try again in \d+ minutes/);

    // The right password, from another address: still refused while the email is limited.
    assert.match(await attemptSignIn(erin.email, erin.password, "203.0.113.8"), /^RATE_LIMITED:/);
    // Other accounts, from either address, are not affected.
    assert.equal(await attemptSignIn(grace.email, grace.password, "203.0.113.7"), "ok");
  });

  it("limits failed sign-ins per IP over many emails; other addresses and successes are not held back", async () => {
    const answers = await Promise.all(Array.from({ length: PER_IP + 5 }, () => attemptSignIn(unknownEmail(), "password-spray", "198.51.100.9")));
    const counts = tally(answers);
    console.log(`per IP: ${JSON.stringify(counts)} of ${answers.length} attempts over as many emails`);
    assert.deepEqual(counts, { wrong: PER_IP, limited: 5, ok: 0 });
    assert.match(answers.find((a) => a.startsWith("RATE_LIMITED:"))!, /from this network/);
    assert.match(await attemptSignIn(grace.email, grace.password, "198.51.100.9"), /^RATE_LIMITED:/);
    assert.equal(await attemptSignIn(grace.email, grace.password, "198.51.100.10"), "ok");

    // Successful sign-ins give their point back: more than the limit, one after another from one
    // address (a shared office NAT), all pass. (In parallel they would not: each is counted first.)
    const successes: string[] = [];
    for (let i = 0; i < PER_IP + 2; i += 1) successes.push(await attemptSignIn(grace.email, grace.password, "198.51.100.20"));
    assert.deepEqual(tally(successes), { wrong: 0, limited: 0, ok: PER_IP + 2 });
  });

  it("limits sign-ups per IP; a refused sign-up creates no account", async () => {
    const emails = Array.from({ length: SIGN_UPS_PER_IP + 3 }, unknownEmail);
    const responses = await Promise.all(emails.map((email) => register(email, "192.0.2.44")));
    const statuses = responses.map((r) => r.status);
    console.log(`sign-up per IP: ${statuses.filter((s) => s === 201).length} created, ${statuses.filter((s) => s === 429).length} refused`);
    assert.equal(statuses.filter((s) => s === 201).length, SIGN_UPS_PER_IP);
    assert.equal(statuses.filter((s) => s === 429).length, 3);
    const refused = responses.find((r) => r.status === 429)!;
    const body = (await refused.json()) as { error: { code: string; message: string; retryable: boolean; retryAfterMs: number } };
    assert.equal(body.error.code, "RATE_LIMITED");
    assert.equal(body.error.retryable, true);
    assert.match(body.error.message, /Too many sign-ups from this network; try again in \d+ minutes/);
    assert.ok(Number(refused.headers.get("retry-after")) > 3_000, `Retry-After ${refused.headers.get("retry-after")}`);
    assert.equal((await register(unknownEmail(), "192.0.2.45")).status, 201, "another address still signs up");

    const client = new MongoClient(stack.mongoUri, { serverSelectionTimeoutMS: 5_000 });
    try {
      const stored = await client.db(stack.env.MONGODB_DB).collection("users").countDocuments({ email: { $in: emails } });
      assert.equal(stored, SIGN_UPS_PER_IP);
    } finally {
      await client.close();
    }
  });
});
