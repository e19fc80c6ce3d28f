// Session end: signing out ends every session of the account. Its sockets close within 2 s, its
// other cookies and every realtime token issued before stop working, a reconnect (recovery
// included) is refused; and a socket never outlives its token.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, openDirect, signIn, signOut, sleep, waitFor, type TestSocket } from "../support/users";

function refused(stack: Stack, token: string): Promise<string> {
  return connect(stack, { token }).then(
    (socket) => {
      socket.disconnect();
      throw new Error("connected with a token from before the sign-out");
    },
    (error: Error & { data?: { code: string } }) => `${error.data?.code}: ${error.message}`,
  );
}

describe("session end", { timeout: 120_000 }, () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it("signing out closes every socket of the account within 2 s and voids its other sessions and tokens", async () => {
    const alice = await createUser(stack, "Alice End");
    const bob = await createUser(stack, "Bob End");
    const conversationId = await openDirect(alice, bob);
    const otherBrowser = await signIn(stack, alice);
    const sockets = await Promise.all([connect(stack, { token: alice.token }), connect(stack, { token: alice.token }), connect(stack, { token: otherBrowser.token })]);
    const bobSocket = await connect(stack, { token: bob.token });
    const closedAt: number[] = [];
    for (const socket of sockets) socket.on("disconnect", () => closedAt.push(Date.now()));

    const started = Date.now();
    await signOut(stack, alice);
    await waitFor(() => closedAt.length === sockets.length, { timeoutMs: 2_000, what: "every socket of the account closed" });
    const slowest = Math.max(...closedAt) - started;
    assert.ok(slowest <= 2_000, `closed after ${slowest} ms`);
    assert.equal(bobSocket.connected, true, "another user's socket was closed");

    // The other browser's cookie and both tokens are void; new tokens cannot be had.
    for (const user of [alice, otherBrowser]) {
      assert.equal((await user.api("/api/realtime/token")).status, 401);
      assert.equal((await user.api("/api/conversations")).status, 401);
      const bearer = await fetch(`${stack.webUrl}/api/conversations`, { headers: { authorization: `Bearer ${user.token}` } });
      assert.equal(bearer.status, 401);
      assert.match(await refused(stack, user.token), /^UNAUTHORIZED: /);
    }
    const write = await otherBrowser.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "after sign-out" }) });
    assert.equal(write.status, 401);

    // Signing in again starts a fresh session that works.
    const again = await signIn(stack, alice);
    const socket = await connect(stack, { token: again.token });
    const ack = await emitAck(socket, "sync", { conversationId, sinceVersion: 0 });
    assert.ok(ack.ok, JSON.stringify(ack));
    socket.disconnect();
    bobSocket.disconnect();
    console.log(`[session-end] ${sockets.length} sockets closed ${slowest} ms after sign-out; 2 sessions and 2 tokens refused`);
  });

  it("refuses a reconnect through connection state recovery after sign-out", async () => {
    const carol = await createUser(stack, "Carol End");
    const dave = await createUser(stack, "Dave End");
    const conversationId = await openDirect(carol, dave);
    // A client with reconnection on, recovery-capable, always offering its original token.
    const socket: TestSocket = io(stack.socketUrl, { transports: ["websocket"], auth: { token: carol.token }, reconnectionDelay: 100, reconnectionDelayMax: 200 });
    const errors: string[] = [];
    socket.on("connect_error", (error) => errors.push(`${(error as Error & { data?: { code: string } }).data?.code}: ${error.message}`));
    try {
      await waitFor(() => socket.connected, { what: "connected" });
      const daveSocket = await connect(stack, { token: dave.token });
      // One broadcast received, so the session has an offset Socket.IO could recover from.
      const first = await emitAck(daveSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text: "before" });
      assert.ok(first.ok);
      await sleep(200);
      daveSocket.disconnect();
      await signOut(stack, carol);
      await waitFor(() => !socket.connected, { timeoutMs: 2_000, what: "closed at sign-out" });
      // A server-side close is not retried by Socket.IO itself; the app's client reconnects, as here.
      socket.connect();
      await waitFor(() => errors.length >= 1, { timeoutMs: 5_000, what: "the reconnect refused" });
      await sleep(300);
      assert.equal(socket.connected, false);
      assert.ok(errors.every((message) => message.startsWith("UNAUTHORIZED: ")), errors.join("; "));
    } finally {
      socket.disconnect();
    }
  });
});

describe("token expiry", { timeout: 60_000 }, () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ env: { REALTIME_TOKEN_TTL_SECONDS: "5" } });
  });

  after(async () => {
    await stack?.stop();
  });

  it("closes a socket when its token expires", async () => {
    const erin = await createUser(stack, "Erin Expiry");
    const issued = Date.now();
    const socket = await connect(stack, { token: erin.token });
    const closed = await new Promise<number>((resolve) => socket.once("disconnect", () => resolve(Date.now())));
    const lived = closed - issued;
    assert.ok(lived >= 3_500 && lived <= 7_000, `the socket lived ${lived} ms on a 5 s token`);
    assert.match(await refused(stack, erin.token), /^UNAUTHORIZED: /);
    console.log(`[session-end] a socket on a 5 s token was closed after ${lived} ms`);
  });
});
