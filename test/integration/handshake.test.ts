// The socket handshake: only a valid realtime token from an allowed Origin gets a connection,
// and every refusal arrives quickly (a client must not hang on a connection that will never open),
// as a connect_error whose `data` is the one error body ({ code, message, retryable }).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { io, type Socket } from "socket.io-client";
import type { ErrorBody } from "../../lib/errors";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestUser } from "../support/users";

// The claims of lib/auth/realtime-token.ts.
const AUDIENCE = "parley:realtime";
const ISSUER = "parley:web";
const REFUSAL_BUDGET_MS = 1_000;
// Every refusal this file measures, for the summary printed at the end.
const refusals: { what: string; ms: number }[] = [];

type TokenOptions = {
  secret?: string;
  sub?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for the past. */
  expiresIn?: number;
  alg?: "HS256" | "HS512";
};

async function signToken(stack: Stack, userId: string, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? 600;
  return new SignJWT({ name: "Forger" })
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .setSubject(options.sub ?? userId)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuer(options.issuer ?? ISSUER)
    .setIssuedAt(Math.min(now, now + expiresIn - 60))
    .setExpirationTime(now + expiresIn)
    .sign(new TextEncoder().encode(options.secret ?? stack.env.REALTIME_TOKEN_SECRET));
}

/** The error body a connect_error carries in its `data`, checked for the one shape; null when it has none. */
function errorBodyOf(error: unknown): ErrorBody | null {
  const data = (error as { data?: unknown }).data;
  if (data === undefined) return null;
  const body = data as ErrorBody;
  assert.equal(typeof body.code, "string", `connect_error data without a code: ${JSON.stringify(data)}`);
  assert.equal(typeof body.message, "string");
  assert.equal(typeof body.retryable, "boolean");
  assert.equal((error as Error).message, body.message, "the Error's message is the body's");
  return body;
}

/** Attempts a connection that must be refused; returns the error, its code, and how long the refusal took. */
async function expectRefused(
  stack: Stack,
  options: Parameters<typeof connect>[1],
): Promise<{ message: string; code: string | null; ms: number }> {
  const started = Date.now();
  let socket: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    socket = await connect(stack, options);
  } catch (error) {
    const ms = Date.now() - started;
    refusals.push({ what: `${options?.transports?.join("+") ?? "websocket"} ${options?.origin ?? "token"}`, ms });
    return { message: (error as Error).message, code: errorBodyOf(error)?.code ?? null, ms };
  }
  socket.disconnect();
  assert.fail(`connection was accepted, expected a refusal (${JSON.stringify({ ...options, token: options?.token?.slice(0, 16) })})`);
}

async function expectAuthRefusal(stack: Stack, token: string | undefined, transports = ["websocket"]): Promise<void> {
  const { message, code, ms } = await expectRefused(stack, { token, transports });
  // The auth middleware's error, not some transport failure that would also "refuse".
  assert.equal(code, "UNAUTHORIZED", `refused for the wrong reason: ${message}`);
  assert.ok(ms < REFUSAL_BUDGET_MS, `refusal took ${ms} ms`);
}

describe("socket handshake", () => {
  let stack: Stack;
  let alice: TestUser;

  before(async () => {
    stack = await startStack();
    alice = await createUser(stack, "Alice Handshake");
  });

  after(async () => {
    await stack?.stop();
    const slowest = refusals.reduce((max, r) => (r.ms > max.ms ? r : max), { what: "none", ms: 0 });
    console.log(`[handshake] ${refusals.length} refusals measured, slowest ${slowest.ms} ms (${slowest.what})`);
  });

  describe("authentication", () => {
    it("accepts the token from /api/realtime/token and the socket can make requests", async () => {
      const socket = await connect(stack, { token: alice.token });
      try {
        assert.equal(socket.connected, true);
        // A request proves the server bound the socket to a user (a foreign conversation is NOT_FOUND, not a crash).
        const ack = await emitAck(socket, "sync", { conversationId: "0".repeat(24), sinceVersion: 0 });
        assert.equal(ack.ok, false);
        assert.equal(!ack.ok && ack.error.code, "NOT_FOUND");
      } finally {
        socket.disconnect();
      }
    });

    it("accepts a token this test signs with the shared secret (control for the forged tokens below)", async () => {
      const socket = await connect(stack, { token: await signToken(stack, alice.id) });
      socket.disconnect();
    });

    it("refuses an empty token and a token that is not a string", async () => {
      await expectAuthRefusal(stack, "");
      const started = Date.now();
      const socket = io(stack.socketUrl, {
        auth: { token: { $ne: null } },
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
      });
      const body = await new Promise<ErrorBody | null>((resolve, reject) => {
        socket.once("connect", () => reject(new Error("an object token was accepted")));
        socket.once("connect_error", (error) => resolve(errorBodyOf(error)));
      }).finally(() => socket.disconnect());
      assert.equal(body?.code, "UNAUTHORIZED");
      assert.equal(body?.retryable, false);
      assert.ok(Date.now() - started < REFUSAL_BUDGET_MS);
    });

    it("refuses an oversized token", async () => {
      await expectAuthRefusal(stack, `${alice.token}${"A".repeat(5_000)}`);
    });

    it("refuses an alg:none token", async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = new UnsecuredJWT({ name: "Mallory" })
        .setSubject(alice.id)
        .setAudience(AUDIENCE)
        .setIssuer(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .encode();
      assert.match(unsigned, /\.$/, "an unsecured JWT has an empty signature");
      await expectAuthRefusal(stack, unsigned);
      // The same claims with the real signature bolted on: the header still says none.
      await expectAuthRefusal(stack, `${unsigned}${alice.token.split(".")[2]}`);
    });

    it("refuses a token with another algorithm, audience, issuer or a malformed subject", async () => {
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { alg: "HS512" }));
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { audience: "someone-else" }));
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { issuer: "someone-else" }));
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { sub: "not-an-object-id" }));
    });

    for (const transport of ["websocket", "polling"]) {
      it(`refuses each forged token over ${transport}: missing, garbage, expired, wrong secret, alg none, audience, issuer, unknown user`, async () => {
        const forged = await forgedTokens(stack, alice);
        for (const [label, token] of forged) {
          await expectAuthRefusal(stack, token, [transport]).catch((error: Error) => assert.fail(`${label}: ${error.message}`));
        }
        console.log(`[handshake] ${transport}: ${forged.length} forged tokens refused`);
      });
    }

    it("a refused client joined nothing: a broadcast to its user's conversation does not reach it", async () => {
      const bob = await createUser(stack, "Bob Handshake");
      const conversationId = await openDirect(bob, alice);
      const control = await connect(stack, { token: alice.token });
      const refused: { label: string; socket: Socket; events: string[] }[] = [];
      try {
        for (const [label, token] of await forgedTokens(stack, alice)) {
          for (const transport of ["websocket", "polling"]) {
            // Kept open after the refusal (no disconnect), so anything the server sent would arrive.
            const socket = io(stack.socketUrl, { auth: { token }, transports: [transport], reconnection: false, forceNew: true });
            const events: string[] = [];
            socket.onAny((event: string) => events.push(event));
            await new Promise<void>((resolve, reject) => {
              socket.once("connect", () => reject(new Error(`${label} over ${transport} was accepted`)));
              socket.once("connect_error", () => resolve());
            });
            refused.push({ label: `${label}/${transport}`, socket, events });
          }
        }
        const seen = collect<{ message: { text: string } }>(control, "message:created");
        const posted = await bob.api(`/api/conversations/${conversationId}/messages`, {
          method: "POST",
          body: JSON.stringify({ conversationId, clientMsgId: crypto.randomUUID(), text: "for members only" }),
        });
        assert.ok(posted.ok, `POST messages: ${posted.status}`);
        await waitFor(() => seen.find((event) => event.message.text === "for members only"), { what: "the control socket's broadcast" });
        // The control got it; give a straggler to the refused clients the same chance again.
        await sleep(300);
        for (const { label, socket, events } of refused) {
          assert.equal(socket.connected, false, `${label} shows as connected`);
          assert.deepEqual(events, [], `${label} received ${events.join(", ")}`);
        }
      } finally {
        control.disconnect();
        for (const { socket } of refused) socket.disconnect();
      }
    });
  });

  describe("origin allowlist", () => {
    // Exactly what a browser would send for the web app, and what it sends for look-alike pages.
    function lookalikes(): string[] {
      const url = new URL(stack.webUrl);
      const port = Number(url.port);
      return [
        `${url.protocol}//${url.hostname}:${port + 1}`,
        `${url.protocol}//${url.hostname}`,
        `https://${url.host}`,
        `ws://${url.host}`,
        `${stack.webUrl}.evil.test`,
        `http://evil.test/?${stack.webUrl}`,
        `http://evil.${url.host}`,
        `http://evil-${url.hostname}:${port}`,
        `${stack.webUrl}/`,
        `${stack.webUrl}, https://evil.test`,
        "null",
        stack.webUrl.toUpperCase(),
        `HTTP://${url.host}`,
        `http://LOCALHOST:${port}`,
      ];
    }

    for (const transport of ["websocket", "polling"]) {
      it(`accepts the web app's Origin over ${transport}`, async () => {
        const socket = await connect(stack, { token: alice.token, origin: stack.webUrl, transports: [transport] });
        try {
          assert.equal(socket.io.engine.transport.name, transport);
        } finally {
          socket.disconnect();
        }
      });

      it(`refuses a foreign or look-alike Origin over ${transport} with FORBIDDEN_ORIGIN, even with a valid token`, async () => {
        const origins = ["https://evil.example", ...lookalikes()];
        for (const origin of origins) {
          const { message, code, ms } = await expectRefused(stack, { token: alice.token, origin, transports: [transport] });
          // Refused for its origin, before any token is looked at.
          assert.equal(code, "FORBIDDEN_ORIGIN", `${origin}: ${message}`);
          assert.ok(ms < REFUSAL_BUDGET_MS, `refusal of ${origin} took ${ms} ms`);
        }
        console.log(`[handshake] ${transport}: ${origins.length} foreign origins refused`);
      });

      it(`accepts a client that is not a browser over ${transport}: no Origin, or the socket server's own (what WebSocket libraries send)`, async () => {
        for (const origin of [undefined, stack.socketUrl]) {
          const socket = await connect(stack, { token: alice.token, origin, transports: [transport] });
          socket.disconnect();
        }
        // Still judged by its token.
        const { code } = await expectRefused(stack, { token: "garbage", origin: stack.socketUrl, transports: [transport] });
        assert.equal(code, "UNAUTHORIZED");
      });
    }

    it("a foreign Origin on the raw polling protocol hears FORBIDDEN_ORIGIN in a CONNECT_ERROR packet", async () => {
      const base = `${stack.socketUrl}/socket.io/?EIO=4&transport=polling`;
      const headers = { origin: "https://evil.example" };
      const open = await fetch(base, { headers });
      assert.equal(open.status, 200);
      const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
      const posted = await fetch(`${base}&sid=${sid}`, { method: "POST", headers, body: `40${JSON.stringify({ token: alice.token })}` });
      await posted.body?.cancel();
      assert.equal(posted.status, 200);
      const polled = await (await fetch(`${base}&sid=${sid}`, { headers })).text();
      const packet = polled.split("\x1e").find((p) => p.startsWith("44"));
      assert.ok(packet, `no CONNECT_ERROR packet in ${polled}`);
      const { data } = JSON.parse(packet.slice(2)) as { data: ErrorBody };
      assert.equal(data.code, "FORBIDDEN_ORIGIN");
      assert.equal(data.retryable, false);
    });

    it("refuses a foreign Origin on the requests after the handshake too (a session id is not a pass)", async () => {
      // A non-browser client (no Origin) may open a session; a page must not be able to ride it.
      const open = await fetch(`${stack.socketUrl}/socket.io/?EIO=4&transport=polling`);
      const { sid } = JSON.parse((await open.text()).slice(1)) as { sid: string };
      const session = `${stack.socketUrl}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
      const foreign = { origin: "https://evil.example" };
      const polled = await fetch(session, { method: "POST", headers: foreign, body: `40${JSON.stringify({ token: alice.token })}` });
      await polled.body?.cancel();
      assert.ok(polled.status >= 400, `a POST with a foreign Origin answered ${polled.status}`);
      const upgrade = await upgradeStatus(`${stack.socketUrl}/socket.io/?EIO=4&transport=websocket&sid=${sid}`, foreign.origin);
      assert.notEqual(upgrade, 101, "a WebSocket upgrade with a foreign Origin was accepted");
    });

    it("a page on another origin cannot read a realtime token: no CORS grant on /api/realtime/token", async () => {
      for (const origin of ["https://evil.example", ...lookalikes()]) {
        const response = await alice.api("/api/realtime/token", { headers: { origin } });
        await response.body?.cancel();
        const granted = response.headers.get("access-control-allow-origin");
        assert.ok(granted === null, `${origin} was granted ${granted}`);
      }
    });
  });
});

/** The status a raw WebSocket upgrade request gets (101 when the server switches protocols). */
function upgradeStatus(url: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": randomBytes(16).toString("base64"), origin };
    const req = request(url, { headers });
    req.once("upgrade", (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.once("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end();
  });
}

/** One of each way a token can be wrong, labelled; each must be refused. */
async function forgedTokens(stack: Stack, user: TestUser): Promise<[string, string | undefined][]> {
  const now = Math.floor(Date.now() / 1000);
  const none = new UnsecuredJWT({}).setSubject(user.id).setAudience(AUDIENCE).setIssuer(ISSUER).setIssuedAt(now).setExpirationTime(now + 600).encode();
  return [
    ["missing", undefined],
    ["garbage", "aaaa.bbbb.cccc"],
    ["expired", await signToken(stack, user.id, { expiresIn: -60 })],
    ["wrong secret", await signToken(stack, user.id, { secret: "a-wrong-secret-that-is-long-enough-0123456789" })],
    ["alg none", none],
    ["wrong audience", await signToken(stack, user.id, { audience: "someone-else" })],
    ["wrong issuer", await signToken(stack, user.id, { issuer: "someone-else" })],
    ["unknown user", await signToken(stack, "f".repeat(24))],
  ];
}
