// Authorization beyond the matrix (authorization-matrix.test.ts answers every entry for every
// kind of actor): a non-member hears no broadcast, bearer tokens are held to the same rule,
// requests without credentials get 401, and the internal broadcast endpoint needs its secret.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

/** How long "nothing arrives" is watched after the members' broadcast already arrived. */
const QUIET_MS = 300;

async function errorOf(response: Response): Promise<{ code: string; message: string; retryable: boolean }> {
  const body = (await response.json()) as { error: { code: string; message: string; retryable: boolean } };
  return body.error;
}

describe("authorization", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let conversationId: string;
  let sockets: { alice: TestSocket; bob: TestSocket; mallory: TestSocket };
  /** A well-formed id that names no conversation at all. */
  const missingId = randomBytes(12).toString("hex");

  before(async () => {
    stack = await startStack();
    [alice, bob, mallory] = await Promise.all([
      createUser(stack, "Alice Authz"),
      createUser(stack, "Bob Authz"),
      createUser(stack, "Mallory Authz"),
    ]);
    conversationId = await openDirect(alice, bob);
    const [a, b, m] = await Promise.all([alice, bob, mallory].map((user) => connect(stack, { token: user.token })));
    sockets = { alice: a!, bob: b!, mallory: m! };
  });

  after(async () => {
    for (const socket of Object.values(sockets ?? {})) socket.disconnect();
    await stack?.stop();
  });

  describe("over the socket", () => {
    it("broadcasts a socket message to both members and nothing to the non-member", async () => {
      const received = {
        alice: collect<{ message: MessageDto }>(sockets.alice, "message:created"),
        bob: collect<{ message: MessageDto }>(sockets.bob, "message:created"),
        mallory: collect<{ message: MessageDto }>(sockets.mallory, "message:created"),
      };
      // Mallory even tries to get herself into the room through sync first.
      await emitAck(sockets.mallory, "sync", { conversationId, sinceVersion: 0 });

      const clientMsgId = randomUUID();
      const ack = await emitAck<{ message: MessageDto }>(sockets.alice, "message:send", { conversationId, clientMsgId, text: "secret plans" });
      assert.ok(ack.ok, JSON.stringify(ack));
      const arrived = (list: { message: MessageDto }[]) => list.some((e) => e.message.clientMsgId === clientMsgId);
      await waitFor(() => arrived(received.alice) && arrived(received.bob), { what: "the members' broadcast" });
      await sleep(QUIET_MS);
      assert.deepEqual(received.mallory, [], "the non-member received a message:created");
    });

    it("sends nothing to the non-member for a message written over HTTP either", async () => {
      const mallorySees = collect<{ message: MessageDto }>(sockets.mallory, "message:created");
      const aliceSees = collect<{ message: MessageDto }>(sockets.alice, "message:created");
      const clientMsgId = randomUUID();
      const response = await bob.api(`/api/conversations/${conversationId}/messages`, {
        method: "POST",
        body: JSON.stringify({ clientMsgId, text: "over http" }),
      });
      assert.equal(response.status, 201);
      await waitFor(() => aliceSees.some((e) => e.message.clientMsgId === clientMsgId), { what: "Alice's broadcast" });
      await sleep(QUIET_MS);
      assert.deepEqual(mallorySees, []);
    });
  });

  describe("over HTTP", () => {
    it("also refuses a non-member who authenticates with a bearer realtime token", async () => {
      const response = await fetch(`${stack.webUrl}/api/conversations/${conversationId}/messages`, {
        headers: { authorization: `Bearer ${mallory.token}` },
      });
      assert.equal(response.status, 404);
      // Control: a member's bearer token reads the same history.
      const member = await fetch(`${stack.webUrl}/api/conversations/${conversationId}/messages`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.equal(member.status, 200);
    });

    it("answers 401 UNAUTHORIZED to requests without credentials or with a bad bearer token", async () => {
      const requests: [string, RequestInit][] = [
        [`/api/conversations`, {}],
        [`/api/conversations`, { method: "POST", body: JSON.stringify({ kind: "direct", userId: bob.id }) }],
        [`/api/conversations/${conversationId}/messages`, {}],
        [`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "anon" }) }],
        [`/api/conversations/${conversationId}/sync?since=0`, {}],
        [`/api/realtime/token`, {}],
        [`/api/users?q=alice`, {}],
      ];
      for (const [path, init] of requests) {
        for (const authorization of [undefined, "Bearer not-a-token"]) {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (authorization) headers.authorization = authorization;
          const response = await fetch(`${stack.webUrl}${path}`, { ...init, headers });
          assert.equal(response.status, 401, `${init.method ?? "GET"} ${path} (${authorization ?? "no credentials"})`);
          assert.equal((await errorOf(response)).code, "UNAUTHORIZED");
        }
      }
    });

    it("refuses internal broadcast requests without the shared secret, and broadcasts nothing", async () => {
      const bobSees = collect<{ message: MessageDto }>(sockets.bob, "message:created");
      const forged = {
        type: "message:created",
        message: { id: missingId, conversationId, seq: 999, version: 999, text: "forged", clientMsgId: randomUUID() },
      };
      for (const secret of [undefined, "wrong-secret"]) {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (secret) headers["x-parley-internal-secret"] = secret;
        const response = await fetch(`${stack.socketUrl}/internal/events`, { method: "POST", headers, body: JSON.stringify(forged) });
        await response.body?.cancel();
        assert.equal(response.status, 401);
      }
      await sleep(QUIET_MS);
      assert.deepEqual(bobSees, []);
    });
  });
});
