// Two socket servers over Redis (the Streams adapter), behind a loopback load balancer: users on
// different instances exchange messages, typing, presence and receipts; writes made over HTTP
// reach every instance through the web app's stream emitter; group changes move sockets on every
// instance; and killing one instance moves its users to the other with nothing lost or doubled.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, it } from "node:test";
import { io } from "socket.io-client";
import type { MessageDto, PresenceDto, SyncResult } from "../../lib/schemas/dto";
import { startBalancer, type Balancer } from "../support/balancer";
import { redisMissing, startRedis, type TestRedis } from "../support/redis";
import { startStack, type SocketInstance, type Stack } from "../support/stack";
import { collect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };
type Receipt = { conversationId: string; userId: string; deliveredSeq: number; readSeq: number };
const GRACE_MS = 300;
// A budget no other test here comes near, per user, counted in Redis by every process.
const MESSAGE_BURST = 60;

async function createGroup(owner: TestUser, members: TestUser[]): Promise<string> {
  const response = await owner.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Across", memberIds: members.map((m) => m.id) }) });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { conversation: { id: string } }).conversation.id;
}

async function send(socket: TestSocket, conversationId: string, text: string, clientMsgId = randomUUID()): Promise<MessageDto> {
  const ack = await emitAck<Created>(socket, "message:send", { conversationId, clientMsgId, text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

const texts = (heard: Created[], conversationId: string) => heard.filter((c) => c.message.conversationId === conversationId).map((c) => c.message.text);

describe("scale-out: two socket servers over Redis", { skip: redisMissing() ?? false, timeout: 180_000 }, () => {
  let redis: TestRedis;
  let stack: Stack;
  let second: SocketInstance;
  let balancer: Balancer;
  const sockets: TestSocket[] = [];
  let ana: TestUser, ben: TestUser, cy: TestUser, dee: TestUser;

  /** A socket on one instance (or the balancer); `reconnect`: as the browser's, retrying every 200 ms. */
  const open = async (url: string, user: TestUser, { reconnect = false } = {}) => {
    const socket: TestSocket = io(url, {
      auth: { token: user.token },
      transports: ["websocket"],
      forceNew: true,
      reconnection: reconnect,
      reconnectionDelay: 200,
      reconnectionDelayMax: 200,
      randomizationFactor: 0,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  };
  const first = () => stack.socketUrl;
  // Each test starts with nobody connected: presence checks must not see an earlier test's sockets.
  const closeAll = () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  };

  before(async () => {
    redis = await startRedis();
    stack = await startStack({
      env: { REDIS_URL: redis.url, PRESENCE_OFFLINE_GRACE_MS: String(GRACE_MS), RATE_LIMIT_MESSAGES_BURST: String(MESSAGE_BURST), RATE_LIMIT_MESSAGES_PER_SECOND: "1" },
    });
    second = await stack.startSocketInstance();
    balancer = await startBalancer([stack.socketPort, second.port]);
    [ana, ben, cy, dee] = await Promise.all(["Ana", "Ben", "Cy", "Dee"].map((name) => createUser(stack, `${name} Scale`))) as [TestUser, TestUser, TestUser, TestUser];
  });

  beforeEach(() => closeAll());

  after(async () => {
    closeAll();
    await balancer?.close();
    await stack?.stop();
    await redis?.stop();
  });

  it("exchanges messages, typing, presence and receipts between users on different instances", async () => {
    const dm = await openDirect(ana, ben);
    const off = await cy.api("/api/settings", { method: "PATCH", body: JSON.stringify({ readReceipts: false }) });
    assert.equal(off.status, 200);
    const group = await createGroup(ana, [ben, cy]);

    const anaSocket = await open(first(), ana);
    const anaHeard = collect<Created>(anaSocket, "message:created");
    const anaPresence = collect<PresenceDto>(anaSocket, "presence");
    const benSnapshots: PresenceDto[][] = [];
    const benSocket = await open(second.url, ben);
    benSocket.on("presence:snapshot", ({ users }: { users: PresenceDto[] }) => benSnapshots.push(users));
    const benHeard = collect<Created>(benSocket, "message:created");
    const benTyping = collect<{ conversationId: string; userId: string; typing: boolean }>(benSocket, "typing");
    const cySocket = await open(second.url, cy);
    const cyReceipts = collect<Receipt>(cySocket, "receipt");
    const benReceipts = collect<Receipt>(benSocket, "receipt");

    // Presence is shared: Ben (instance 2) is told Ana (instance 1) is online, and Ana hears Ben arrive.
    await waitFor(() => benSnapshots.flat().some((p) => p.userId === ana.id && p.online), { what: "Ana online in Ben's snapshot" });
    await waitFor(() => anaPresence.some((p) => p.userId === ben.id && p.online), { what: "Ben's arrival at Ana" });

    await send(anaSocket, dm, "from instance 1");
    await send(benSocket, dm, "from instance 2");
    await waitFor(() => texts(benHeard, dm).includes("from instance 1"), { what: "Ana's message at Ben" });
    await waitFor(() => texts(anaHeard, dm).includes("from instance 2"), { what: "Ben's message at Ana" });

    assert.ok((await emitAck(anaSocket, "typing", { conversationId: dm, typing: true })).ok);
    await waitFor(() => benTyping.some((t) => t.userId === ana.id && t.typing), { what: "Ana typing at Ben" });

    // Ana (instance 1) reads Ben's group message; Ben (instance 2) sees it read; Cy (instance 2,
    // read receipts off) hears only the delivered watermark.
    const posted = await send(benSocket, group, "read me");
    assert.ok((await emitAck(anaSocket, "conversation:read", { conversationId: group, seq: posted.seq })).ok);
    await waitFor(() => benReceipts.some((r) => r.userId === ana.id && r.conversationId === group && r.readSeq === posted.seq), { what: "Ana's read at Ben" });
    const atCy = await waitFor(() => cyReceipts.find((r) => r.userId === ana.id && r.conversationId === group), { what: "Ana's receipt at Cy" });
    assert.equal(atCy.readSeq, 0, "Cy turned read receipts off: no read watermark reaches them");
    await sleep(200);
    assert.ok(cyReceipts.every((r) => r.readSeq === 0), JSON.stringify(cyReceipts));

    // Ben leaves: Ana (instance 1) is told once his grace period is over.
    benSocket.disconnect();
    await waitFor(() => anaPresence.some((p) => p.userId === ben.id && !p.online), { what: "Ben offline at Ana", timeoutMs: 5_000 });
  });

  it("fans out writes made over HTTP, and group changes, on every instance", async () => {
    const group = await createGroup(ana, [ben, cy]);
    const benOne = await open(first(), ben);
    const benTwo = await open(second.url, ben);
    const deeSocket = await open(second.url, dee);
    const [heardOne, heardTwo, deeHeard] = [benOne, benTwo, deeSocket].map((s) => collect<Created>(s, "message:created")) as [Created[], Created[], Created[]];
    const deeCreated = collect<{ conversation: { id: string } }>(deeSocket, "conversation:created");
    const deeRemoved = collect<{ conversationId: string }>(deeSocket, "conversation:removed");

    const overHttp = await ana.api(`/api/conversations/${group}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "over HTTP" }) });
    assert.equal(overHttp.status, 201, await overHttp.clone().text());
    await waitFor(() => texts(heardOne, group).includes("over HTTP") && texts(heardTwo, group).includes("over HTTP"), { what: "the HTTP message on both instances" });

    // Added over HTTP: Dee's socket on instance 2 joins the room at once.
    const added = await ana.api(`/api/conversations/${group}/members`, { method: "POST", body: JSON.stringify({ userId: dee.id }) });
    assert.equal(added.status, 201, await added.clone().text());
    await waitFor(() => deeCreated.some((c) => c.conversation.id === group), { what: "the group at Dee" });
    const anaSocket = await open(first(), ana);
    await send(anaSocket, group, "welcome Dee");
    await waitFor(() => texts(deeHeard, group).includes("welcome Dee"), { what: "the next message at Dee" });

    // Removed over HTTP: Dee's socket leaves the room on instance 2 and hears nothing more.
    const removed = await ana.api(`/api/conversations/${group}/members/${dee.id}`, { method: "DELETE" });
    assert.equal(removed.status, 204, await removed.clone().text());
    await waitFor(() => deeRemoved.some((r) => r.conversationId === group), { what: "the removal at Dee" });
    await send(anaSocket, group, "after Dee left");
    await waitFor(() => texts(heardTwo, group).includes("after Dee left"), { what: "the message after the removal at Ben" });
    await sleep(300);
    assert.ok(!texts(deeHeard, group).includes("after Dee left"), "a removed member hears nothing more");
  });

  it("counts a user's messages against one budget across both instances and the web app", async () => {
    const eve = await createUser(stack, "Eve Scale");
    const dm = await openDirect(eve, ana);
    const [one, two] = [await open(first(), eve), await open(second.url, eve)];
    const sendOn = (socket: TestSocket) => emitAck<Created>(socket, "message:send", { conversationId: dm, clientMsgId: randomUUID(), text: "budget" });
    const overHttp = () => eve.api(`/api/conversations/${dm}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "budget" }) });
    const half = MESSAGE_BURST / 2;
    const acks = [...(await Promise.all(Array.from({ length: half }, () => sendOn(one)))), ...(await Promise.all(Array.from({ length: half - 1 }, () => sendOn(two))))];
    assert.ok(acks.every((ack) => ack.ok), JSON.stringify(acks.find((ack) => !ack.ok)));
    assert.equal((await overHttp()).status, 201, "the last message of the budget, over HTTP");
    const refused = await sendOn(two);
    assert.ok(!refused.ok && refused.error.code === "RATE_LIMITED", JSON.stringify(refused));
    const refusedOne = await sendOn(one);
    assert.ok(!refusedOne.ok && refusedOne.error.code === "RATE_LIMITED", JSON.stringify(refusedOne));
    assert.equal((await overHttp()).status, 429);
  });

  it("moves the users of a killed instance to the other, with nothing lost or doubled", async () => {
    const dm = await openDirect(ana, ben);
    const deeDm = await openDirect(ben, dee);
    // Ana and Dee land on instance 1, Ben on instance 2.
    balancer.setBackends([stack.socketPort]);
    const anaSocket = await open(balancer.url, ana, { reconnect: true });
    const deeSocket = await open(balancer.url, dee);
    balancer.setBackends([second.port]);
    const benSocket = await open(balancer.url, ben, { reconnect: true });
    balancer.setBackends([stack.socketPort, second.port]);
    const anaHeard = collect<Created>(anaSocket, "message:created");
    const benPresence = collect<PresenceDto>(benSocket, "presence");
    assert.ok(deeSocket.connected);

    // Ben sends throughout; Ana sends too, retrying each message with its clientMsgId until acked, as the outbox does.
    const benSent: MessageDto[] = [];
    const benSending = (async () => {
      for (let i = 0; i < 20; i += 1) {
        benSent.push(await send(benSocket, dm, `ben ${i}`));
        await sleep(50);
      }
    })();
    const anaSending = (async () => {
      for (let i = 0; i < 10; i += 1) {
        const clientMsgId = randomUUID();
        for (;;) {
          const ack = await emitAck<Created>(anaSocket, "message:send", { conversationId: dm, clientMsgId, text: `ana ${i}` }, { timeoutMs: 1_000 }).catch(() => null);
          if (ack?.ok) break;
          await sleep(100);
        }
        await sleep(40);
      }
    })();
    await sleep(300);
    await stack.stopSocket("SIGKILL");
    await Promise.all([benSending, anaSending]);
    await waitFor(() => anaSocket.connected, { what: "Ana reconnected through the balancer", timeoutMs: 10_000 });

    // Stored once each, in order; what Ana heard live plus one sync holds all of Ben's messages.
    const sync = await emitAck<SyncResult>(anaSocket, "sync", { conversationId: dm, sinceVersion: 0 });
    assert.ok(sync.ok);
    const stored = sync.data.messages.filter((m) => m.kind === "text").map((m) => m.text);
    assert.deepEqual(stored.filter((t) => t.startsWith("ana ")), Array.from({ length: 10 }, (_, i) => `ana ${i}`));
    assert.deepEqual(stored.filter((t) => t.startsWith("ben ")), Array.from({ length: 20 }, (_, i) => `ben ${i}`));
    const seqs = sync.data.messages.map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);
    const known = new Set([...anaHeard.map((c) => c.message.id), ...sync.data.messages.map((m) => m.id)]);
    assert.ok(benSent.every((m) => known.has(m.id)));

    // Ana came back within her grace period: Ben never saw her go. Dee did not come back: the
    // surviving instance finds the dead one's heartbeat gone and announces Dee offline to Ben.
    await waitFor(() => benPresence.some((p) => p.userId === dee.id && !p.online), { what: "Dee offline at Ben", timeoutMs: 35_000 });
    assert.ok(!benPresence.some((p) => p.userId === ana.id && !p.online), "Ana moved instances without ever being offline");
    assert.ok(deeDm);
    const health = (await (await fetch(`${second.url}/health`)).json()) as { redis?: string };
    assert.equal(health.redis, "up");
  });
});
