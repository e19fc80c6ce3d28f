// GET /api/calls/ice: who may ask, what it answers by default, and the TURN credentials it mints
// when a coturn secret is configured (valid in coturn's REST scheme, expiring after
// TURN_TTL_SECONDS). And the pair of TURN settings: one without the other stops the process.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { freePort, root } from "../../scripts/processes.mjs";
import type { ErrorBody } from "../../lib/errors";
import { iceConfigSchema, type IceConfig } from "../../lib/schemas/ice";
import { startStack, type Stack } from "../support/stack";
import { createUser } from "../support/users";

async function iceOf(response: Response): Promise<IceConfig> {
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(response.headers.get("cache-control"), "no-store");
  return iceConfigSchema.parse(await response.json());
}

describe("GET /api/calls/ice with the defaults", () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it("refuses a request without a session, in the usual error shape", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-a-token" }, { cookie: "next-auth.session-token=forged" }];
    for (const headers of attempts) {
      const response = await fetch(`${stack.webUrl}/api/calls/ice`, { headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      const { error } = (await response.json()) as { error: ErrorBody };
      assert.equal(error.code, "UNAUTHORIZED");
      assert.equal(error.retryable, false);
      assert.equal(typeof error.message, "string");
    }
  });

  it("answers no servers, any route and no expiry: host candidates only", async () => {
    const user = await createUser(stack, "Ice Default");
    assert.deepEqual(await iceOf(await user.api("/api/calls/ice")), { iceServers: [], iceTransportPolicy: "all", expiresAt: null });
    // The realtime token opens it too, as every route handler (scripts and bots).
    const bearer = await fetch(`${stack.webUrl}/api/calls/ice`, { headers: { authorization: `Bearer ${user.token}` } });
    assert.deepEqual(await iceOf(bearer), { iceServers: [], iceTransportPolicy: "all", expiresAt: null });
  });
});

describe("GET /api/calls/ice with TURN configured", () => {
  const TTL_SECONDS = 120;
  const secret = randomBytes(24).toString("base64url");
  const turnUrls = ["turn:turn.parley.test:3478?transport=udp", "turns:turn.parley.test:5349"];
  const stun = { urls: "stun:stun.parley.test:3478" };
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      keepOutput: true,
      env: {
        ICE_SERVERS: JSON.stringify([stun]),
        TURN_SECRET: secret,
        TURN_URLS: turnUrls.join(","),
        TURN_TTL_SECONDS: String(TTL_SECONDS),
        ICE_TRANSPORT_POLICY: "relay",
      },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it("adds the TURN URLs with credentials for this user, valid in the REST scheme until TURN_TTL_SECONDS from now", async () => {
    const [ana, ben] = [await createUser(stack, "Ice Ana"), await createUser(stack, "Ice Ben")];
    const askedAt = Date.now();
    const config = await iceOf(await ana.api("/api/calls/ice"));
    const answeredAt = Date.now();

    assert.equal(config.iceTransportPolicy, "relay");
    assert.equal(config.iceServers.length, 2);
    assert.deepEqual(config.iceServers[0], stun);
    const turn = config.iceServers[1]!;
    assert.deepEqual(turn.urls, turnUrls);

    // The REST scheme: username "<expiry in unix seconds>:<user id>", password base64(HMAC-SHA1(secret, username)).
    const match = /^(\d+):([a-f0-9]{24})$/.exec(turn.username ?? "");
    assert.ok(match, `username ${turn.username}`);
    const [, expiry, userId] = match;
    assert.equal(userId, ana.id);
    assert.equal(turn.credential, createHmac("sha1", secret).update(turn.username!).digest("base64"));
    const expiresMs = Number(expiry) * 1000;
    assert.ok(expiresMs >= Math.floor(askedAt / 1000) * 1000 + TTL_SECONDS * 1000, `expires ${expiresMs - askedAt} ms after the request`);
    assert.ok(expiresMs <= answeredAt + TTL_SECONDS * 1000, `expires ${expiresMs - answeredAt} ms after the answer`);
    assert.equal(config.expiresAt, new Date(expiresMs).toISOString());

    // Another user gets credentials of their own.
    const other = (await iceOf(await ben.api("/api/calls/ice"))).iceServers[1]!;
    assert.match(other.username ?? "", new RegExp(`^\\d+:${ben.id}$`));
    assert.notEqual(other.credential, turn.credential);
  });

  it("never logs the secret or a credential", async () => {
    const user = await createUser(stack, "Ice Quiet");
    const turn = (await iceOf(await user.api("/api/calls/ice"))).iceServers[1]!;
    const { web, socket } = stack.output();
    for (const value of [secret, turn.credential!]) assert.ok(!web.includes(value) && !socket.includes(value));
  });
});

describe("TURN settings at start-up", () => {
  /** Runs the built socket server (it validates the same lib/env.js as the web app) until it exits or listens. */
  async function start(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      MONGODB_URI: "mongodb://127.0.0.1:9/parley",
      SOCKET_PORT: String(await freePort()),
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      REALTIME_TOKEN_SECRET: randomBytes(32).toString("base64url"),
      INTERNAL_EVENTS_SECRET: randomBytes(32).toString("base64url"),
      ...extra,
    };
    const child = spawn(process.execPath, ["dist/socket-server/index.mjs"], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const deadline = Date.now() + 5_000;
    while (child.exitCode === null && !output.includes("listening") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
      return { code: null, output };
    }
    return { code: await exited, output };
  }

  it("TURN_SECRET without TURN_URLS, or the reverse, stops the process at once, naming what is missing and not the secret", async () => {
    const secret = randomBytes(24).toString("base64url");
    const noUrls = await start({ TURN_SECRET: secret });
    assert.notEqual(noUrls.code, null, `still running: ${noUrls.output}`);
    assert.notEqual(noUrls.code, 0);
    assert.match(noUrls.output, /TURN_URLS: TURN_SECRET is set but TURN_URLS is not/);
    assert.ok(!noUrls.output.includes(secret), "the secret was printed");

    const noSecret = await start({ TURN_URLS: "turn:turn.parley.test:3478" });
    assert.notEqual(noSecret.code, null, `still running: ${noSecret.output}`);
    assert.match(noSecret.output, /TURN_SECRET: TURN_URLS is set but TURN_SECRET is not/);

    // Control: both, and it starts.
    const both = await start({ TURN_SECRET: secret, TURN_URLS: "turn:turn.parley.test:3478" });
    assert.equal(both.code, null, `it exited: ${both.output}`);
  });
});
