// Connection state recovery: a client that loses its transport for a moment comes back as the
// same socket, in the same rooms, and receives what was broadcast meanwhile. Authentication
// runs again on the way back, so a bad token (or another user's) ends the session there.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { io, type Socket } from "socket.io-client";
import type { MessageDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, connect, createUser, emitAck, openDirect, sleep, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

// Long enough that a message is certainly sent while the client is away, short next to the window.
const RECONNECT_DELAY_MS = 600;

/** Like the browser's client: reconnects by itself, and asks for its token at every attempt. */
function connectReconnecting(stack: Stack, token: () => string): Promise<TestSocket> {
  const socket: TestSocket = io(stack.socketUrl, {
    auth: (callback) => callback({ token: token() }),
    transports: ["websocket"],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MS,
    randomizationFactor: 0,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

async function sendSocket(socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> {
  const ack = await emitAck<Created>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

/** The arguments of the next `event` the socket emits (connect, disconnect, connect_error), or a timeout. */
function next(socket: TestSocket, event: string, timeoutMs = 5_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as Socket).once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

const countOf = (seen: Created[], message: MessageDto) => seen.filter((e) => e.message.id === message.id).length;

describe("connection state recovery", () => {
  let stack: Stack;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dm: string;
  let aliceSocket: TestSocket;
  const opened: TestSocket[] = [];

  before(async () => {
    stack = await startStack();
    [alice, bob, carol] = (await Promise.all(["Alice", "Bob", "Carol"].map((name) => createUser(stack, `${name} Recovery`)))) as [TestUser, TestUser, TestUser];
    dm = await openDirect(alice, bob);
    aliceSocket = await connect(stack, { token: alice.token });
  });

  after(async () => {
    for (const socket of [aliceSocket, ...opened]) socket?.disconnect();
    await stack?.stop();
  });

  /** Bob online, having received one broadcast: a client without one has no offset to resume from. */
  async function bobOnline(token: () => string): Promise<{ socket: TestSocket; seen: Created[] }> {
    const socket = await connectReconnecting(stack, token);
    opened.push(socket);
    const seen = collect<Created>(socket, "message:created");
    const hello = await sendSocket(aliceSocket, dm, "hello");
    await waitFor(() => countOf(seen, hello) === 1, { what: "the first broadcast" });
    return { socket, seen };
  }

  /** Drops Bob's transport from his side and sends a message while he is away. */
  async function dropAndMiss(socket: TestSocket, text: string): Promise<MessageDto> {
    const dropped = next(socket, "disconnect");
    socket.io.engine.close();
    // The client names this "forced close"; it reconnects all the same, as after a network loss.
    await dropped;
    const missed = await sendSocket(aliceSocket, dm, text);
    assert.equal(socket.connected, false, "the message must be sent while Bob is away");
    return missed;
  }

  it("resumes the same socket after a short drop and delivers the message missed meanwhile", async () => {
    const { socket, seen } = await bobOnline(() => bob.token);
    const idBefore = socket.id;
    const back = next(socket, "connect");
    const missed = await dropAndMiss(socket, "sent while you were away");
    await back;

    assert.equal(socket.recovered, true, "the connection state was recovered");
    assert.equal(socket.id, idBefore, "the same socket id");
    await waitFor(() => countOf(seen, missed) === 1, { what: "the missed message:created" });

    // Still in the conversation's room and still handled: live broadcasts and acks both work.
    const later = await sendSocket(aliceSocket, dm, "and now live");
    await waitFor(() => countOf(seen, later) === 1, { what: "a live message after recovery" });
    const delivered = await emitAck<{ lastDeliveredSeq: number }>(socket, "conversation:delivered", { conversationId: dm, seq: later.seq });
    assert.deepEqual(delivered, { ok: true, data: { lastDeliveredSeq: later.seq } });
    await sleep(100);
    assert.equal(countOf(seen, missed), 1, "the missed message arrived once");
  });

  it("joins the room of a conversation created while the socket was away", async () => {
    const { socket, seen } = await bobOnline(() => bob.token);
    const created = collect<{ conversation: { id: string } }>(socket, "conversation:created");
    const back = next(socket, "connect");
    socket.io.engine.close();
    // The creation is announced to Bob's user room and joins his live sockets: this one is not live.
    const response = await alice.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "While away", memberIds: [bob.id, carol.id] }) });
    assert.equal(response.status, 201);
    const group = ((await response.json()) as { conversation: { id: string } }).conversation.id;
    assert.equal(socket.connected, false, "the group must be created while Bob is away");
    await back;

    assert.equal(socket.recovered, true);
    await waitFor(() => created.some((e) => e.conversation.id === group), { what: "the missed conversation:created" });
    const first = await sendSocket(aliceSocket, group, "welcome");
    await waitFor(() => countOf(seen, first) === 1, { what: "the new group's message on the recovered socket" });
  });

  it("runs the auth middleware again: a bad token at reconnect is refused, not recovered", async () => {
    let token = bob.token;
    const { socket, seen } = await bobOnline(() => token);
    // What reaches the client at all, below Socket.IO's own buffering of early packets.
    const wire: string[] = [];
    socket.io.on("open", () => socket.io.engine.on("packet", ({ data }) => wire.push(String(data))));
    token = "not-a-valid-token";
    const refused = next(socket, "connect_error");
    const missed = await dropAndMiss(socket, "not for a refused socket");

    const [error] = (await refused) as [Error & { data?: { code: string } }];
    assert.equal(error.data?.code, "UNAUTHORIZED");
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false, "a refusal by the server is final: no further attempts");
    await sleep(300);
    assert.equal(countOf(seen, missed), 0, "nothing is handed to a refused socket");
    // Socket.IO sends a restored session's missed packets before the middleware runs; they are held back.
    assert.deepEqual(wire.filter((packet) => packet.includes(missed.id)), [], "the missed message never went over the wire");

    // The refusal did not spend the session: with a good token again it resumes, and the missed
    // message arrives once.
    token = bob.token;
    const back = next(socket, "connect");
    socket.connect();
    await back;
    assert.equal(socket.recovered, true);
    await waitFor(() => countOf(seen, missed) === 1, { what: "the missed message after a good token" });
    await sleep(200);
    assert.equal(countOf(seen, missed), 1, "once, not also from the refused attempt's buffer");
  });

  it("refuses to hand a session over to another user's token", async () => {
    let token = bob.token;
    const { socket, seen } = await bobOnline(() => token);
    token = alice.token;
    const refused = next(socket, "connect_error");
    const missed = await dropAndMiss(socket, "bob's, not alice's");

    const [error] = (await refused) as [Error & { data?: { code: string } }];
    assert.equal(error.data?.code, "UNAUTHORIZED");
    assert.equal(socket.connected, false);
    await sleep(300);
    assert.equal(countOf(seen, missed), 0);
  });
});
