// The contract for machines (issue 17), held to the running app: a recorded session (two people
// and a third, a direct conversation and a group, messages sent, listed, synced, edited, reacted to,
// pinned, read, searched, a room, a file, a picture, a call, settings, and failures) over HTTP and
// over real sockets, where every answer, every ack and every event heard is validated against the
// schema that the app's own /api/openapi.json and /api/asyncapi.json give for it. Object schemas
// there admit no field they do not name, so a field the code adds without the documents fails here.
// Every documented operation must be exercised, or be in the commented lists below.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { io } from "socket.io-client";
import { contractRecorder } from "../support/contract";
import { png } from "../support/files";
import { startStack, type Stack } from "../support/stack";
import { connect, signIn, waitFor, type TestSocket, type TestUser } from "../support/users";

type Recorder = Awaited<ReturnType<typeof contractRecorder>>;
type Json = Record<string, unknown>;

/** Documented, not exercised here, and why. */
const NOT_RECORDED = new Set<string>([]);
/** Documented events no step below makes the server send, and why. */
const NOT_HEARD = new Set<string>([]);
/** Short, so that Carol's leaving is announced (presence) within the test. */
const PRESENCE_OFFLINE_GRACE_MS = 300;

describe("the contract, against a recorded session", { timeout: 240_000 }, () => {
  let stack: Stack;
  let rec: Recorder;
  const sockets: TestSocket[] = [];

  before(async () => {
    stack = await startStack({ env: { PRESENCE_OFFLINE_GRACE_MS: String(PRESENCE_OFFLINE_GRACE_MS) } });
    rec = await contractRecorder(stack);
  });

  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await stack?.stop();
  });

  const as = (user: TestUser) => ({ cookie: user.cookie });
  const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });
  const open = async (user: TestUser) => {
    const socket = await connect(stack, { token: user.token, listen: (s) => rec.listen(s) });
    sockets.push(socket);
    return socket;
  };
  const ok = (ack: Awaited<ReturnType<Recorder["emit"]>>, what: string) => {
    assert.ok(ack.ok, `${what}: ${JSON.stringify(ack)}`);
    return ack.data as Json;
  };

  async function register(name: string): Promise<TestUser> {
    const email = `${name.toLowerCase()}.${randomBytes(3).toString("hex")}@example.test`;
    const password = `pw-${randomBytes(8).toString("hex")}`;
    const created = await rec.call("POST", "/api/register", { json: { name, email, password } });
    assert.equal(created.status, 201);
    const user = await signIn(stack, { id: (created.body.user as { id: string }).id, name, email, password });
    const token = await rec.call("GET", "/api/realtime/token", { headers: as(user) });
    assert.equal(token.status, 200);
    return user;
  }

  it("documents every answer, ack and event of the session", async () => {
    const { call, emit } = rec;
    // The documents themselves: public, and served with the static security headers.
    for (const document of ["/api/openapi.json", "/api/asyncapi.json"]) {
      const served = await call("GET", document);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get("x-content-type-options"), "nosniff");
    }
    assert.equal((await call("GET", "/api/health")).status, 200);

    // Accounts. The first to sign up is a server admin.
    const alice = await register("Alice");
    const bob = await register("Bob");
    const carol = await register("Carol");
    const refused = await call("POST", "/api/register", { json: { name: "Eve", email: "eve@example.test", password: "short" } });
    assert.equal(refused.status, 400);
    const taken = await call("POST", "/api/register", { json: { name: "Alice again", email: alice.email, password: "long-enough-pw" } });
    assert.equal(taken.status, 409);

    const [a, b, b2, c] = [await open(alice), await open(bob), await open(bob), await open(carol)];

    // Finding people; failures of authentication and of validation.
    assert.equal((await call("GET", "/api/users", { headers: as(alice), query: { q: "Bob" } })).status, 200);
    assert.equal((await call("GET", "/api/users", { headers: as(alice), query: { q: "" } })).status, 400);
    assert.equal((await call("GET", "/api/conversations")).status, 401);
    assert.equal((await call("GET", "/api/conversations", { headers: { authorization: "Bearer not-a-token" } })).status, 401);

    // A direct conversation: opened, opened again, listed (with the bearer token, as a script would).
    const opened = await call("POST", "/api/conversations", { headers: as(alice), json: { kind: "direct", userId: bob.id } });
    assert.equal(opened.status, 201);
    assert.equal((await call("POST", "/api/conversations", { headers: as(alice), json: { kind: "direct", userId: bob.id } })).status, 200);
    const dm = (opened.body.conversation as { id: string }).id;
    assert.equal((await call("GET", "/api/conversations", { headers: bearer(bob) })).status, 200);
    const crossSite = await call("POST", "/api/conversations", { headers: { ...as(alice), origin: "https://evil.example" }, json: { kind: "direct", userId: bob.id } });
    assert.equal(crossSite.status, 403);

    // Messages over both transports, a repeat, and refusals.
    const clientMsgId = randomUUID();
    const sent = await call("POST", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: dm }, json: { clientMsgId, text: "hello over HTTP, find me" } });
    assert.equal(sent.status, 201);
    assert.equal((await call("POST", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: dm }, json: { clientMsgId, text: "hello over HTTP, find me" } })).status, 200);
    const first = sent.body.message as { id: string; seq: number };
    const reply = ok(await emit(b, "message:send", { conversationId: dm, clientMsgId: randomUUID(), text: "hello over the socket", replyTo: first.id, mentions: [alice.id] }), "message:send");
    const second = reply.message as unknown as { id: string; seq: number };
    assert.equal((await call("POST", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: dm }, json: { clientMsgId: randomUUID(), text: "   " } })).status, 400);
    assert.equal((await call("GET", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: "0123456789abcdef01234567" } })).status, 404);
    assert.equal((await emit(a, "message:send", { conversationId: dm, clientMsgId: "nope", text: "x" })).ok, false);
    assert.equal((await emit(c, "sync", { conversationId: dm, sinceVersion: 0 })).ok, false, "not a member: NOT_FOUND");

    // Reading: pages, sync, receipts, marks.
    assert.equal((await call("GET", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: dm } })).status, 200);
    assert.equal((await call("GET", "/api/conversations/{id}/messages", { headers: as(alice), params: { id: dm }, query: { around: String(first.seq), limit: "10" } })).status, 200);
    assert.equal((await call("GET", "/api/conversations/{id}/sync", { headers: as(bob), params: { id: dm }, query: { since: "0" } })).status, 200);
    ok(await emit(a, "sync", { conversationId: dm, sinceVersion: 0 }), "sync");
    assert.equal((await call("POST", "/api/conversations/{id}/delivered", { headers: as(bob), params: { id: dm }, json: { seq: first.seq } })).status, 200);
    assert.equal((await call("POST", "/api/conversations/{id}/read", { headers: as(bob), params: { id: dm }, json: { seq: first.seq } })).status, 200);
    ok(await emit(a, "conversation:delivered", { conversationId: dm, seq: second.seq }), "conversation:delivered");
    ok(await emit(a, "conversation:read", { conversationId: dm, seq: second.seq }), "conversation:read");
    assert.equal((await call("POST", "/api/conversations/{id}/unread", { headers: as(bob), params: { id: dm }, json: { unread: true } })).status, 200);
    assert.equal((await call("POST", "/api/conversations/{id}/mute", { headers: as(bob), params: { id: dm }, json: { muted: true } })).status, 200);
    ok(await emit(a, "typing", { conversationId: dm, typing: true }), "typing");

    // Changing messages: edit, react, pin, over both transports; then deletes.
    assert.equal((await call("PATCH", "/api/messages/{id}", { headers: as(alice), params: { id: first.id }, json: { text: "hello over HTTP, edited, find me" } })).status, 200);
    ok(await emit(b, "message:edit", { messageId: second.id, text: "hello over the socket, edited" }), "message:edit");
    assert.equal((await call("POST", "/api/messages/{id}/reactions", { headers: as(bob), params: { id: first.id }, json: { emoji: "👍", add: true } })).status, 200);
    ok(await emit(a, "message:react", { messageId: second.id, emoji: "🎉" }), "message:react");
    assert.equal((await call("PUT", "/api/messages/{id}/pin", { headers: as(bob), params: { id: first.id } })).status, 200);
    ok(await emit(a, "message:pin", { messageId: second.id, pinned: true }), "message:pin");
    assert.equal((await call("GET", "/api/conversations/{id}/messages", { headers: as(bob), params: { id: dm } })).status, 200, "the newest page, with pins");
    assert.equal((await call("DELETE", "/api/messages/{id}/pin", { headers: as(bob), params: { id: first.id } })).status, 200);

    // Search.
    const found = await call("GET", "/api/search", { headers: as(alice), query: { q: "find" } });
    assert.equal(found.status, 200);
    ok(await emit(b, "search", { q: "hello", conversationId: dm }), "search");
    assert.equal((await call("GET", "/api/search", { headers: as(alice), query: { q: "x", cursor: "bad" } })).status, 400);

    // A file and a picture.
    const picture = await png(320, 200);
    const uploaded = await call("POST", "/api/uploads", { headers: as(alice), query: { name: "photo.png" }, raw: picture });
    assert.equal(uploaded.status, 201);
    const file = uploaded.body.file as { id: string };
    ok(await emit(a, "message:send", { conversationId: dm, clientMsgId: randomUUID(), text: "a picture", attachments: [file.id] }), "message:send with a file");
    assert.equal((await call("GET", "/api/files/{id}", { headers: as(bob), params: { id: file.id } })).status, 200);
    assert.equal((await call("GET", "/api/files/{id}/{variant}", { headers: as(bob), params: { id: file.id, variant: "thumbnail" } })).status, 200);
    assert.equal((await call("GET", "/api/files/{id}", { headers: as(carol), params: { id: file.id } })).status, 404);
    assert.equal((await call("PUT", "/api/settings/avatar", { headers: as(bob), raw: picture })).status, 200);
    assert.equal((await call("GET", "/api/users/{id}/avatar", { headers: as(alice), params: { id: bob.id } })).status, 200);
    assert.equal((await call("DELETE", "/api/settings/avatar", { headers: as(bob) })).status, 200);

    // Deleting: for me over HTTP, for everyone over the socket.
    assert.equal((await call("DELETE", "/api/messages/{id}", { headers: as(bob), params: { id: first.id }, query: { for: "me" } })).status, 200);
    ok(await emit(b, "message:delete", { messageId: second.id, for: "everyone" }), "message:delete");
    assert.equal((await call("DELETE", "/api/messages/{id}", { headers: as(bob), params: { id: first.id }, query: { for: "nobody" } })).status, 400);

    // Settings.
    assert.equal((await call("GET", "/api/settings", { headers: as(alice) })).status, 200);
    assert.equal((await call("PATCH", "/api/settings", { headers: as(alice), json: { readReceipts: false } })).status, 200);

    // A group: created, renamed, a member added, made admin, removed.
    const group = await call("POST", "/api/conversations", { headers: as(alice), json: { kind: "group", name: "Contract", memberIds: [bob.id, carol.id] } });
    assert.equal(group.status, 201);
    const groupId = (group.body.conversation as { id: string }).id;
    assert.equal((await call("PATCH", "/api/conversations/{id}", { headers: as(bob), params: { id: groupId }, json: { name: "Contract, renamed" } })).status, 200);
    assert.equal((await call("PATCH", "/api/conversations/{id}/members/{userId}", { headers: as(alice), params: { id: groupId, userId: bob.id }, json: { role: "admin" } })).status, 200);
    assert.equal((await call("DELETE", "/api/conversations/{id}/members/{userId}", { headers: as(alice), params: { id: groupId, userId: carol.id } })).status, 204);
    assert.equal((await call("POST", "/api/conversations/{id}/members", { headers: as(bob), params: { id: groupId }, json: { userId: carol.id } })).status, 201);
    assert.equal((await call("POST", "/api/conversations/{id}/members", { headers: as(bob), params: { id: groupId }, json: { userId: carol.id } })).status, 200);

    // A room: created, listed, previewed, joined and left on both transports, changed.
    const room = await call("POST", "/api/rooms", { headers: as(alice), json: { name: "Contract room", topic: "machines" } });
    assert.equal(room.status, 201);
    const roomId = (room.body.conversation as { id: string }).id;
    assert.equal((await call("GET", "/api/rooms", { headers: as(bob), query: { q: "contract" } })).status, 200);
    assert.equal((await call("GET", "/api/rooms/{id}", { headers: as(bob), params: { id: roomId } })).status, 200);
    assert.equal((await call("POST", "/api/rooms/{id}/join", { headers: as(bob), params: { id: roomId } })).status, 201);
    ok(await emit(c, "room:join", { conversationId: roomId }), "room:join");
    assert.equal((await call("PATCH", "/api/rooms/{id}", { headers: as(alice), params: { id: roomId }, json: { topic: "machines and people" } })).status, 200);
    assert.equal((await call("POST", "/api/rooms/{id}/leave", { headers: as(bob), params: { id: roomId } })).status, 204);
    ok(await emit(c, "room:leave", { conversationId: roomId }), "room:leave");
    assert.equal((await call("GET", "/api/rooms/{id}", { headers: as(bob), params: { id: "0123456789abcdef01234567" } })).status, 404);

    // Server admins.
    assert.equal((await call("GET", "/api/admins", { headers: as(alice) })).status, 200);
    assert.equal((await call("PUT", "/api/admins/{userId}", { headers: as(alice), params: { userId: bob.id } })).status, 200);
    assert.equal((await call("DELETE", "/api/admins/{userId}", { headers: as(alice), params: { userId: bob.id } })).status, 200);
    assert.equal((await call("PUT", "/api/admins/{userId}", { headers: as(carol), params: { userId: carol.id } })).status, 403);

    // A call, answered on one of Bob's two tabs, connected, signalled, resumed, hung up; another declined.
    assert.equal((await call("GET", "/api/calls/ice", { headers: as(alice) })).status, 200);
    const callId = randomUUID();
    const placed = ok(await emit(a, "call:invite", { conversationId: dm, callId, media: "audio" }), "call:invite");
    const answered = ok(await emit(b, "call:answer", { callId, media: "audio" }), "call:answer");
    await waitFor(() => rec.heard.has("call:answered-elsewhere"), { what: "call:answered-elsewhere" });
    const aliceParty = { callId, partyId: placed.partyId as unknown as string };
    ok(await emit(a, "call:connected", aliceParty), "call:connected");
    ok(await emit(a, "call:signal", { ...aliceParty, signal: { media: { muted: false, cameraOff: true } } }), "call:signal");
    ok(await emit(b, "call:signal", { callId, partyId: answered.partyId, signal: { description: { type: "answer", sdp: "v=0" } } }), "call:signal back");
    ok(await emit(a, "call:resume", aliceParty), "call:resume");
    ok(await emit(a, "call:hangup", aliceParty), "call:hangup");
    const declined = randomUUID();
    ok(await emit(a, "call:invite", { conversationId: dm, callId: declined, media: "video" }), "call:invite again");
    ok(await emit(b2, "call:reject", { callId: declined }), "call:reject");
    assert.equal((await emit(b, "call:answer", { callId: declined, media: "audio" })).ok, false);

    // A script: a personal access token made with a password, used on both transports, then revoked.
    const made = await call("POST", "/api/tokens", { json: { email: carol.email, password: carol.password, name: "contract bot", scopes: ["read"], expiresInDays: 7 } });
    assert.equal(made.status, 201);
    const pat = made.body as { id: string; token: string };
    const patHeaders = { authorization: `Bearer ${pat.token}` };
    assert.equal((await call("GET", "/api/tokens", { headers: patHeaders })).status, 200);
    assert.equal((await call("GET", "/api/me", { headers: patHeaders })).status, 200);
    assert.equal((await call("GET", "/api/me", { headers: as(carol) })).status, 200);
    assert.equal((await call("POST", "/api/tokens", { json: { email: carol.email, password: "wrong", name: "x" } })).status, 401);
    assert.equal((await call("POST", "/api/conversations/{id}/messages", { headers: patHeaders, params: { id: groupId }, json: { clientMsgId: randomUUID(), text: "read only" } })).status, 403);
    const bot = await connect(stack, { token: pat.token, listen: (s) => rec.listen(s) });
    sockets.push(bot);
    ok(await emit(bot, "visibility", { visible: false }), "visibility");
    assert.equal((await emit(bot, "message:send", { conversationId: groupId, clientMsgId: randomUUID(), text: "read only" })).ok, false);
    assert.equal((await call("DELETE", "/api/tokens/{id}", { headers: as(carol), params: { id: pat.id } })).status, 200);
    assert.equal((await call("DELETE", "/api/tokens/{id}", { headers: as(carol), params: { id: pat.id } })).status, 404);

    // Push: the key, a device subscribed (the test stack accepts a loopback endpoint), listed, removed.
    assert.equal((await call("GET", "/api/push/key", { headers: as(alice) })).status, 200);
    const subscription = { endpoint: "http://127.0.0.1:9/push/contract", keys: { p256dh: `B${"A".repeat(86)}`, auth: "A".repeat(22) } };
    const device = await call("POST", "/api/push/subscriptions", { headers: as(alice), json: subscription });
    assert.equal(device.status, 201);
    assert.equal((await call("GET", "/api/push/subscriptions", { headers: as(alice) })).status, 200);
    assert.equal((await call("DELETE", "/api/push/subscriptions/{id}", { headers: as(alice), params: { id: (device.body.device as { id: string }).id } })).status, 204);
    assert.equal((await call("POST", "/api/push/subscriptions", { headers: as(alice), json: { endpoint: "ftp://x" } })).status, 400);

    // Carol closes her last tab: the people she shares a conversation with hear she is offline.
    c.disconnect();
    // Let the last broadcasts arrive before the check.
    await waitFor(() => rec.heard.has("call:ended") && rec.heard.has("room:left") && rec.heard.has("presence"), { what: "the last events", timeoutMs: 5_000 });
    assert.deepEqual(rec.failures, [], "every answer, ack and event matches the documents");
  });

  it("serves /docs/api to anyone, under the pages' Content-Security-Policy, with an entry for every operation and event", async () => {
    const response = await fetch(`${stack.webUrl}/docs/api`, { redirect: "manual" });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-security-policy") ?? "", /script-src [^;]*'nonce-/);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    const html = await response.text();
    const ids = [
      ...Object.values(rec.openapi.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId)),
      ...rec.events.map((event) => `event-${event.replace(/[:-]([a-z])/g, (_, c: string) => c.toUpperCase())}`),
      ...rec.requests.map((request) => `socket-${request.slice("socket ".length).replace(/[:-]([a-z])/g, (_, c: string) => c.toUpperCase())}`),
    ];
    assert.deepEqual(ids.filter((id) => !html.includes(`id="${id}"`)), []);
  });

  const refusedHandshake = async () => {
    const socket = io(stack.socketUrl, { auth: { token: "not-a-token" }, transports: ["websocket"], reconnection: false, forceNew: true });
    const error = await new Promise<Error & { data?: unknown }>((resolve) => socket.once("connect_error", resolve));
    socket.disconnect();
    return error;
  };

  // DESIGN.md "Clients beyond the browser": `data` is the error body, and the message its message.
  it("gives connect_error the error body as data, as the document says", async () => {
    const error = await refusedHandshake();
    assert.equal(rec.checkConnectError(error), null);
    assert.equal((error.data as { code: string }).code, "UNAUTHORIZED");
    assert.equal(error.message, (error.data as { message: string }).message);
  });

  it("exercised every documented operation, and heard every documented event, or says why not", () => {
    const missing = [...rec.operations, ...rec.requests].filter((key) => !rec.exercised.has(key) && !NOT_RECORDED.has(key));
    assert.deepEqual(missing, [], "documented but never exercised: exercise it above, or list it in NOT_RECORDED with why");
    const unheard = rec.events.filter((event) => !rec.heard.has(event) && !NOT_HEARD.has(event));
    assert.deepEqual(unheard, [], "documented but never heard: make the server send it above, or list it in NOT_HEARD with why");
    // The lists stay true: what is exercised or heard now comes off them.
    assert.deepEqual([...NOT_RECORDED].filter((key) => rec.exercised.has(key)), []);
    assert.deepEqual([...NOT_HEARD].filter((event) => rec.heard.has(event)), []);
  });
});
