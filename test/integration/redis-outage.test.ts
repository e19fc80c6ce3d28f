// Redis going away under a socket server: it keeps serving its own sockets (messages still flow
// and are stored once, HTTP writes still succeed, limits still hold per process), /health says
// Redis is down, and when Redis comes back empty the server counts its sockets again.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { MessageDto, PresenceDto, SyncResult } from "../../lib/schemas/dto";
import { redisMissing, startRedis, type TestRedis } from "../support/redis";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };
type Health = { status: string; redis?: string };

async function until(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("Redis outage", { skip: redisMissing({ own: true }) ?? false, timeout: 120_000 }, () => {
  let redis: TestRedis & { port: number };
  let stack: Stack;
  let ana: TestUser, ben: TestUser;
  const sockets: TestSocket[] = [];
  const health = async () => (await (await fetch(`${stack.socketUrl}/health`)).json()) as Health;

  before(async () => {
    redis = await startRedis({ own: true });
    stack = await startStack({ env: { REDIS_URL: redis.url, PRESENCE_OFFLINE_GRACE_MS: "300" } });
    [ana, ben] = await Promise.all([createUser(stack, "Ana Outage"), createUser(stack, "Ben Outage")]);
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
    await redis?.stop();
  });

  it("keeps serving its own sockets while Redis is down, and recounts presence when it is back", async () => {
    const dm = await openDirect(ana, ben);
    const anaSocket = await connect(stack, { token: ana.token });
    const benSocket = await connect(stack, { token: ben.token });
    sockets.push(anaSocket, benSocket);
    const benHeard = collect<Created>(benSocket, "message:created");

    await redis.stop();
    await until(async () => (await health()).redis === "down", "/health reporting Redis down", 5_000);

    const sent = await emitAck<Created>(anaSocket, "message:send", { conversationId: dm, clientMsgId: randomUUID(), text: "while Redis is down" }, { timeoutMs: 8_000 });
    assert.ok(sent.ok, JSON.stringify(sent));
    await waitFor(() => benHeard.some((c) => c.message.text === "while Redis is down"), { what: "the message at Ben", timeoutMs: 8_000 });
    const overHttp = await ben.api(`/api/conversations/${dm}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "over HTTP, Redis down" }) });
    assert.equal(overHttp.status, 201, await overHttp.clone().text());
    const status = await health();
    assert.equal(status.redis, "down");
    assert.equal(status.status, "ok", "the database is fine: still serving");

    redis = await startRedis({ own: true, port: redis.port });
    await until(async () => (await health()).redis === "up", "/health reporting Redis up", 15_000);
    // Redis came back empty: the server counted Ana's socket again, so a snapshot from an instance
    // that started since (it knows nothing but what Redis holds) shows her online.
    const other = await stack.startSocketInstance();
    const snapshots: PresenceDto[][] = [];
    const benAgain = await connect({ ...stack, socketUrl: other.url }, { token: ben.token, listen: (s) => s.on("presence:snapshot", ({ users }: { users: PresenceDto[] }) => snapshots.push(users)) });
    sockets.push(benAgain);
    await waitFor(() => snapshots.flat().some((p) => p.userId === ana.id && p.online), { what: "Ana online after Redis came back", timeoutMs: 8_000 });

    const sync = await emitAck<SyncResult>(anaSocket, "sync", { conversationId: dm, sinceVersion: 0 });
    assert.ok(sync.ok);
    assert.deepEqual(sync.data.messages.map((m) => m.text), ["while Redis is down", "over HTTP, Redis down"], "each stored once");
  });
});
