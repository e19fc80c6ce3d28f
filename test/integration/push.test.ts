// Web Push on the real stack: a local push service (test/support/push-endpoint.ts) receives,
// checks and decrypts every push. Who gets one: members with no tab in view, once per new
// message, never when muted, in a room only when mentioned, and the callee of a ringing call.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";
import type { PushDeviceDto } from "../../lib/schemas/push";
import { PushEndpoint, type SubscriptionJson } from "../support/push-endpoint";
import { createRoom, join } from "../support/rooms";
import { startStack, type Stack } from "../support/stack";
import { createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

// Long enough for a push that was going to be sent to reach the endpoint on a loaded machine.
const QUIET_MS = 1_200;

describe("Web Push", { timeout: 120_000 }, () => {
  let stack: Stack;
  let endpoint: PushEndpoint;
  let ana: TestUser;
  let ben: TestUser;
  let cy: TestUser;
  let anaSocket: TestSocket;
  const sockets: TestSocket[] = [];

  /** A socket as the browser opens it, saying whether its tab is in view (`visible` undefined: says nothing). */
  const open = async (user: TestUser, visible?: boolean): Promise<TestSocket> => {
    const socket: TestSocket = io(stack.socketUrl, { auth: { token: user.token, ...(visible === undefined ? {} : { visible }) }, transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket;
  };
  const subscribe = async (user: TestUser, subscription: SubscriptionJson) => {
    const response = await user.api("/api/push/subscriptions", { method: "POST", body: JSON.stringify(subscription), headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" } });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { device: PushDeviceDto }).device;
  };
  const devices = async (user: TestUser) => ((await (await user.api("/api/push/subscriptions")).json()) as { devices: PushDeviceDto[] }).devices;
  const sendOverSocket = async (conversationId: string, text: string, extra: object = {}) => {
    const ack = await emitAck(anaSocket, "message:send", { conversationId, clientMsgId: randomUUID(), text, ...extra });
    assert.ok(ack.ok, JSON.stringify(ack));
  };
  /** Waits for `name`'s device to have received `count` pushes in all, then a quiet spell in which no more arrive. */
  const expectPushes = async (name: string, count: number) => {
    await waitFor(() => endpoint.pushesTo(name).length >= count, { timeoutMs: 8_000, what: `${count} pushes to ${name} (got ${endpoint.pushesTo(name).length})` });
    await sleep(QUIET_MS);
    assert.equal(endpoint.pushesTo(name).length, count, `pushes to ${name}`);
    return endpoint.pushesTo(name).at(-1)!;
  };

  before(async () => {
    stack = await startStack();
    endpoint = new PushEndpoint(stack.env.VAPID_PUBLIC_KEY!);
    await endpoint.start();
    [ana, ben, cy] = await Promise.all([createUser(stack, "Ana Push"), createUser(stack, "Ben Push"), createUser(stack, "Cy Push")]);
    anaSocket = await open(ana, true);
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await endpoint?.stop();
    await stack?.stop();
    assert.deepEqual(endpoint?.rejected ?? [], [], "every push carried a valid VAPID signature and decrypted");
  });

  it("gives the server's public key", async () => {
    const body = (await (await ben.api("/api/push/key")).json()) as { enabled: boolean; publicKey: string };
    assert.deepEqual(body, { enabled: true, publicKey: stack.env.VAPID_PUBLIC_KEY });
  });

  it("pushes each new message once to a member with no socket, with the conversation and the unread count; never to the sender", async () => {
    const conversationId = await openDirect(ana, ben);
    await subscribe(ana, endpoint.subscribe("ana-laptop"));
    await subscribe(ben, endpoint.subscribe("ben-phone"));
    await sendOverSocket(conversationId, "first over the socket");
    const first = await expectPushes("ben-phone", 1);
    assert.deepEqual(first.payload, { kind: "message", conversationId, title: ana.name, body: "first over the socket", count: 1, tag: conversationId, url: `/chat?c=${conversationId}` });
    assert.equal(first.topic, conversationId, "a newer push replaces an undelivered older one at the push service");
    assert.equal(first.urgency, "high");
    assert.ok(first.ttl > 0 && first.ttl <= 24 * 60 * 60, `TTL ${first.ttl}`);

    // Over HTTP (the route handler announces it to the socket server), and its repeat pushes nothing.
    const clientMsgId = randomUUID();
    for (const expected of [201, 200]) {
      const response = await ana.api(`/api/conversations/${conversationId}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId, text: "second over HTTP" }) });
      assert.equal(response.status, expected);
    }
    const second = await expectPushes("ben-phone", 2);
    assert.equal(second.payload.count, 2);
    assert.equal(second.payload.body, "2 new messages\nsecond over HTTP");
    // A repeat over the socket is broadcast again, and pushes nothing either.
    const again = await emitAck(anaSocket, "message:send", { conversationId, clientMsgId, text: "second over HTTP" });
    assert.ok(again.ok);
    await expectPushes("ben-phone", 2);
    assert.equal(endpoint.pushesTo("ana-laptop").length, 0, "the sender's own devices stay quiet");
    assert.ok((await devices(ben))[0]?.lastPushAt, "the device list says when it was last pushed to");
  });

  it("pushes nothing while a tab of the member is in view, and again once their tabs are hidden", async () => {
    const conversationId = await openDirect(ana, cy);
    await subscribe(cy, endpoint.subscribe("cy-desktop"));
    const hidden = await open(cy, false);
    const visible = await open(cy, true);
    await sendOverSocket(conversationId, "cy is looking");
    await expectPushes("cy-desktop", 0);
    assert.ok((await emitAck(visible, "visibility", { visible: false })).ok);
    await sendOverSocket(conversationId, "cy looked away");
    assert.equal((await expectPushes("cy-desktop", 1)).payload.body, "2 new messages\ncy looked away");
    assert.ok((await emitAck(hidden, "visibility", { visible: true })).ok);
    await sendOverSocket(conversationId, "cy is back on the other tab");
    await expectPushes("cy-desktop", 1);
    // A socket that says nothing of its tab (a bot, an older page) does not count as attending.
    hidden.disconnect();
    visible.disconnect();
    await open(cy);
    await sendOverSocket(conversationId, "cy has only a silent socket");
    await expectPushes("cy-desktop", 2);
  });

  it("pushes nothing to a member who muted the conversation", async () => {
    const conversationId = await openDirect(ana, ben);
    const before = endpoint.pushesTo("ben-phone").length;
    const muted = await ben.api(`/api/conversations/${conversationId}/mute`, { method: "POST", body: JSON.stringify({ muted: true }) });
    assert.equal(muted.status, 200);
    await sendOverSocket(conversationId, "into the void");
    await expectPushes("ben-phone", before);
    await ben.api(`/api/conversations/${conversationId}/mute`, { method: "POST", body: JSON.stringify({ muted: false }) });
    await sendOverSocket(conversationId, "heard again");
    assert.equal((await expectPushes("ben-phone", before + 1)).payload.body.endsWith("heard again"), true);
  });

  it("names the group and the sender, to every member away", async () => {
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Push crew", memberIds: [ben.id, cy.id] }) });
    const groupId = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const [benBefore, cyBefore] = [endpoint.pushesTo("ben-phone").length, endpoint.pushesTo("cy-desktop").length];
    await sendOverSocket(groupId, "lunch?");
    for (const [name, count] of [["ben-phone", benBefore + 1], ["cy-desktop", cyBefore + 1]] as const) {
      const push = await expectPushes(name, count);
      assert.deepEqual([push.payload.conversationId, push.payload.title, push.payload.body, push.urgency], [groupId, "Push crew", `${ana.name}: lunch?`, "normal"]);
    }
  });

  it("pushes a room's message only to the members it mentions", async () => {
    const { conversation } = await createRoom(ana, { name: "Push room", public: true });
    assert.equal((await join(ben, conversation.id)).status, 201);
    const before = endpoint.pushesTo("ben-phone").length;
    await sendOverSocket(conversation.id, "hello room");
    await expectPushes("ben-phone", before);
    await sendOverSocket(conversation.id, "@Ben Push look", { mentions: [ben.id] });
    const push = await expectPushes("ben-phone", before + 1);
    assert.deepEqual([push.payload.kind, push.payload.title, push.urgency], ["mention", `${ana.name} mentioned you in Push room`, "high"]);
  });

  it("rings the callee's device, for as long as the call rings", async () => {
    const conversationId = await openDirect(ana, ben);
    const before = endpoint.pushesTo("ben-phone").length;
    const callId = randomUUID();
    const ack = await emitAck<{ partyId: string }>(anaSocket, "call:invite", { conversationId, callId, media: "video" });
    assert.ok(ack.ok, JSON.stringify(ack));
    const push = await expectPushes("ben-phone", before + 1);
    assert.deepEqual([push.payload.kind, push.payload.title, push.payload.body, push.payload.tag], ["call", ana.name, "Incoming video call", `call:${conversationId}`]);
    assert.ok(push.ttl > 0 && push.ttl <= 45, `a ring's TTL is its ringing time, not ${push.ttl}`);
    assert.ok((await emitAck(anaSocket, "call:hangup", { callId, partyId: ack.data.partyId })).ok);
  });

  it("forgets a subscription the push service says is gone (410)", async () => {
    const conversationId = await openDirect(ana, cy);
    const tablet = endpoint.subscribe("cy-tablet");
    await subscribe(cy, tablet);
    endpoint.answer(tablet, 410);
    await sendOverSocket(conversationId, "anyone there?");
    await expectPushes("cy-tablet", 1);
    const deadline = Date.now() + 5_000;
    while ((await devices(cy)).some((device) => device.endpoint === tablet.endpoint) && Date.now() < deadline) await sleep(100);
    assert.deepEqual((await devices(cy)).map((device) => device.endpoint).includes(tablet.endpoint), false);
  });

  it("refuses a malformed subscription with VALIDATION and stores nothing", async () => {
    const user = await createUser(stack, "Dee Push");
    const good = endpoint.subscribe("dee-unused");
    const bad: [string, unknown][] = [
      ["not an object", "https://push.example.org/x"],
      ["no endpoint", { keys: good.keys }],
      ["plain http to another host", { ...good, endpoint: "http://push.example.org/x" }],
      ["an IP literal", { ...good, endpoint: "https://10.0.0.7/push/x" }],
      ["a single-label host", { ...good, endpoint: "https://intranet/push/x" }],
      ["credentials in the URL", { ...good, endpoint: "https://user:pw@push.example.org/x" }],
      ["an endpoint too long", { ...good, endpoint: `https://push.example.org/${"a".repeat(1100)}` }],
      ["no keys", { endpoint: good.endpoint }],
      ["a short auth secret", { ...good, keys: { ...good.keys, auth: good.keys.auth.slice(2) } }],
      ["a p256dh that is no point", { ...good, keys: { ...good.keys, p256dh: `A${good.keys.p256dh.slice(1)}` } }],
      ["an operator as auth", { ...good, keys: { ...good.keys, auth: { $gt: "" } } }],
    ];
    for (const [label, body] of bad) {
      const response = await user.api("/api/push/subscriptions", { method: "POST", body: JSON.stringify(body) });
      const answer = (await response.json()) as { error?: { code: string } };
      assert.equal(response.status, 400, `${label}: ${JSON.stringify(answer)}`);
      assert.equal(answer.error?.code, "VALIDATION", label);
    }
    assert.deepEqual(await devices(user), []);
  });

  it("subscribes idempotently, moves an endpoint to the account that subscribes it last, and deletes only one's own", async () => {
    const shared = endpoint.subscribe("shared-browser");
    const first = await subscribe(ben, shared);
    assert.equal((await subscribe(ben, shared)).id, first.id);
    assert.equal((await devices(ben)).filter((d) => d.endpoint === shared.endpoint).length, 1);
    assert.equal(first.device, "Chrome on Linux");
    await subscribe(cy, shared);
    assert.equal((await devices(ben)).some((d) => d.endpoint === shared.endpoint), false);
    const mine = (await devices(cy)).find((d) => d.endpoint === shared.endpoint)!;
    const stolen = await ben.api(`/api/push/subscriptions/${mine.id}`, { method: "DELETE" });
    assert.equal(stolen.status, 404);
    assert.equal(((await stolen.json()) as { error: { code: string } }).error.code, "NOT_FOUND");
    assert.ok((await devices(cy)).some((d) => d.id === mine.id), "still there");
    assert.equal((await cy.api(`/api/push/subscriptions/${mine.id}`, { method: "DELETE" })).status, 204);
    assert.equal((await devices(cy)).some((d) => d.id === mine.id), false);
  });
});
