// The socket handshake: only a valid realtime token from an allowed Origin gets a connection,
// and every refusal arrives quickly (a client must not hang on a connection that will never open).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SignJWT, UnsecuredJWT } from "jose";
import { io } from "socket.io-client";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, type TestUser } from "../support/users";

// The claims of lib/auth/realtime-token.ts.
const AUDIENCE = "parley:realtime";
const ISSUER = "parley:web";
const REFUSAL_BUDGET_MS = 1_000;

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

/** Attempts a connection that must be refused; returns the error and how long the refusal took. */
async function expectRefused(
  stack: Stack,
  options: Parameters<typeof connect>[1],
): Promise<{ message: string; ms: number }> {
  const started = Date.now();
  let socket: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    socket = await connect(stack, options);
  } catch (error) {
    return { message: (error as Error).message, ms: Date.now() - started };
  }
  socket.disconnect();
  assert.fail(`connection was accepted, expected a refusal (${JSON.stringify({ ...options, token: options?.token?.slice(0, 16) })})`);
}

async function expectAuthRefusal(stack: Stack, token: string | undefined, transports = ["websocket"]): Promise<void> {
  const { message, ms } = await expectRefused(stack, { token, transports });
  // The auth middleware's error, not some transport failure that would also "refuse".
  assert.match(message, /^UNAUTHORIZED/, `refused for the wrong reason: ${message}`);
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

    it("refuses a connection without a token", async () => {
      await expectAuthRefusal(stack, undefined);
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
      const message = await new Promise<string>((resolve, reject) => {
        socket.once("connect", () => reject(new Error("an object token was accepted")));
        socket.once("connect_error", (error) => resolve(error.message));
      }).finally(() => socket.disconnect());
      assert.match(message, /^UNAUTHORIZED/);
      assert.ok(Date.now() - started < REFUSAL_BUDGET_MS);
    });

    it("refuses a garbage token", async () => {
      await expectAuthRefusal(stack, "not-a-jwt");
      await expectAuthRefusal(stack, "aaaa.bbbb.cccc");
    });

    it("refuses an oversized token", async () => {
      await expectAuthRefusal(stack, `${alice.token}${"A".repeat(5_000)}`);
    });

    it("refuses an expired token", async () => {
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { expiresIn: -60 }));
    });

    it("refuses a token signed with a wrong secret", async () => {
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { secret: "a-wrong-secret-that-is-long-enough-0123456789" }));
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

    it("refuses a bad token on the polling transport too", async () => {
      await expectAuthRefusal(stack, await signToken(stack, alice.id, { expiresIn: -60 }), ["polling"]);
    });
  });

  describe("origin allowlist", () => {
    for (const transport of ["websocket", "polling"]) {
      it(`refuses a foreign Origin over ${transport}, even with a valid token`, async () => {
        const { ms } = await expectRefused(stack, { token: alice.token, origin: "https://evil.example", transports: [transport] });
        assert.ok(ms < REFUSAL_BUDGET_MS, `refusal took ${ms} ms`);
      });

      it(`accepts the web app's Origin over ${transport}`, async () => {
        const socket = await connect(stack, { token: alice.token, origin: stack.webUrl, transports: [transport] });
        try {
          assert.equal(socket.io.engine.transport.name, transport);
        } finally {
          socket.disconnect();
        }
      });
    }

    it("matches the Origin exactly (no prefix, suffix or port look-alikes)", async () => {
      const url = new URL(stack.webUrl);
      const lookalikes = [
        `${stack.webUrl}.evil.example`,
        `${url.protocol}//${url.hostname}:${Number(url.port) + 1}`,
        `https://${url.host}`,
        "null",
      ];
      for (const origin of lookalikes) {
        const { ms } = await expectRefused(stack, { token: alice.token, origin, transports: ["websocket"] });
        assert.ok(ms < REFUSAL_BUDGET_MS, `refusal of ${origin} took ${ms} ms`);
      }
    });

    it("answers 403 to a foreign Origin on the raw polling handshake, 200 to the allowed one", async () => {
      const handshake = `${stack.socketUrl}/socket.io/?EIO=4&transport=polling`;
      const foreign = await fetch(handshake, { headers: { origin: "https://evil.example" } });
      await foreign.body?.cancel();
      assert.equal(foreign.status, 403);
      const allowed = await fetch(handshake, { headers: { origin: stack.webUrl } });
      await allowed.body?.cancel();
      assert.equal(allowed.status, 200);
    });
  });
});
