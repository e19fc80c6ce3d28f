// Public rooms over the real stack: the directory (live), read-only previews, join and leave
// moving every socket of a person, the stored member count under concurrent joins, the owner's
// hand-over, archiving (read-only), and who may create rooms.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient, ObjectId } from "mongodb";
import type { ConversationDto, MessageDto, RoomDto } from "../../lib/schemas/dto";
import { createRoom, directory, errorCode, join, leave, preview, previewOf, updateRoom } from "../support/rooms";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, emitAck, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

type Created = { message: MessageDto };

async function send(socket: TestSocket, conversationId: string, text: string): Promise<MessageDto> {
  const ack = await emitAck<Created>(socket, "message:send", { conversationId, clientMsgId: randomUUID(), text });
  assert.ok(ack.ok, `message:send failed: ${JSON.stringify(ack)}`);
  return ack.data.message;
}

const roleIn = async (user: TestUser, roomId: string, memberId: string) => {
  const list = (await (await user.api("/api/conversations")).json()) as { conversations: ConversationDto[] };
  return list.conversations.find((c) => c.id === roomId)?.members.find((m) => m.id === memberId)?.role;
};

describe("public rooms", { timeout: 240_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let admin: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  let cleo: TestUser;
  const pool = socketPool(() => stack);
  const open = pool.open;

  before(async () => {
    stack = await startStack();
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    // The first account is the server admin; the others are plain users.
    admin = await createUser(stack, "Root Rooms");
    [ana, ben, cleo] = (await Promise.all(["Ana", "Ben", "Cleo"].map((n) => createUser(stack, `${n} Rooms`)))) as [TestUser, TestUser, TestUser];
  });

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  it("lists a new public room live, previews it read-only, and moves every socket of a joiner and a leaver", async () => {
    const [benOne, benTwo, anaSocket] = await Promise.all([open(ben), open(ben), open(ana)]);
    const benCreated = collect<{ room: RoomDto }>(benOne, "room:created");
    const benUpdated = collect<{ room: RoomDto }>(benOne, "room:updated");
    const created = await createRoom(ana, { name: "Study Hall Überblick", topic: "Quiet work, together", public: true });
    const roomId = created.room.id;
    assert.deepEqual([created.room.memberCount, created.room.listed, created.room.topic], [1, true, "Quiet work, together"]);
    await waitFor(() => benCreated.find((e) => e.room.id === roomId), { what: "room:created on Ben's socket" });

    await send(anaSocket, roomId, "welcome to the hall");
    // The directory: by name prefix, accents folded, with the viewer's own Joined badge.
    for (const q of ["stud", "HALL", "uberb", "study ha"]) assert.ok((await directory(ben, { q })).some((r) => r.id === roomId), `q=${q}`);
    assert.ok(!(await directory(ben, { q: "hallway" })).some((r) => r.id === roomId));
    assert.equal((await directory(ben)).find((r) => r.id === roomId)?.joined, false);
    assert.equal((await directory(ana)).find((r) => r.id === roomId)?.joined, true);

    // A preview: the room and its recent messages, nothing of the members, and Ben is not counted.
    const look = await previewOf(ben, roomId);
    assert.equal(look.room.memberCount, 1);
    assert.deepEqual(look.messages.map((m) => m.text), ["Ana Rooms created the room", "welcome to the hall"]);
    assert.ok(!JSON.stringify(look).includes("@"), "no email in a preview");
    assert.ok(!("members" in look.room));
    // A previewer sends nothing, reacts to nothing, reads no history or receipts through the member routes.
    const msg = look.messages[1]!;
    for (const [event, payload] of [
      ["message:send", { conversationId: roomId, clientMsgId: randomUUID(), text: "not yet" }],
      ["message:react", { messageId: msg.id, emoji: "👍" }],
      ["conversation:read", { conversationId: roomId, seq: 1 }],
      ["sync", { conversationId: roomId, sinceVersion: 0 }],
    ] as const) {
      const ack = await emitAck(benOne, event, payload);
      assert.equal(!ack.ok && ack.error.code, "NOT_FOUND", event);
    }
    assert.equal((await ben.api(`/api/conversations/${roomId}/messages`)).status, 404);

    // Joining over one socket moves both of Ben's sockets; Ana hears "joined" and the count.
    const heard = [benOne, benTwo].map((s) => ({ joined: collect<{ conversationId: string }>(s, "room:joined"), messages: collect<Created>(s, "message:created"), left: collect<{ conversationId: string }>(s, "room:left") }));
    const anaMessages = collect<Created>(anaSocket, "message:created");
    const anaUpdates = collect<{ conversation: ConversationDto }>(anaSocket, "conversation:updated");
    const ack = await emitAck<{ conversation: ConversationDto }>(benOne, "room:join", { conversationId: roomId });
    assert.ok(ack.ok, JSON.stringify(ack));
    assert.equal(ack.data.conversation.room?.memberCount, 2);
    await waitFor(() => heard.every((h) => h.joined.length === 1), { what: "room:joined on both of Ben's sockets" });
    await waitFor(() => anaMessages.some((m) => m.message.text === "Ben Rooms joined" && m.message.kind === "system"), { what: "Ben joined" });
    await waitFor(() => anaUpdates.some((u) => u.conversation.room?.memberCount === 2), { what: "the header's count" });
    await waitFor(() => benUpdated.some((u) => u.room.id === roomId && u.room.memberCount === 2), { what: "the directory's count" });
    const live = await send(anaSocket, roomId, "hi Ben");
    await waitFor(() => heard.every((h) => h.messages.some((m) => m.message.id === live.id)), { what: "the next message on both sockets" });

    // Leaving over HTTP takes both sockets out before anything more is said.
    assert.equal((await leave(ben, roomId)).status, 204);
    await waitFor(() => heard.every((h) => h.left.length === 1), { what: "room:left on both sockets" });
    await waitFor(() => anaMessages.some((m) => m.message.text === "Ben Rooms left"), { what: "Ben left" });
    await waitFor(() => benUpdated.some((u) => u.room.id === roomId && u.room.memberCount === 1), { what: "the count back to 1" });
    const after = await send(anaSocket, roomId, "after Ben left");
    await sleep(400);
    assert.ok(heard.every((h) => !h.messages.some((m) => m.message.id === after.id)), "Ben's sockets heard nothing after leaving");
    assert.equal((await leave(ben, roomId)).status, 404, "leaving again finds no membership");
  });

  it("joins once however often and however concurrently: 20 at once count 20, with 20 memberships and one 'joined' each", async () => {
    const { room } = await createRoom(ana, { name: `Crowd ${randomUUID().slice(0, 4)}` });
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(stack, `Crowd${i} Rooms`)));
    const responses = await Promise.all(people.flatMap((p) => [join(p, room.id), join(p, room.id)]));
    assert.deepEqual(responses.map((r) => r.status).sort(), [...Array(20).fill(200), ...Array(20).fill(201)].sort());
    const stored = db.db(stack.env.MONGODB_DB);
    const id = new ObjectId(room.id);
    assert.equal(await stored.collection("memberships").countDocuments({ conversationId: id }), 21);
    assert.equal((await stored.collection("conversations").findOne({ _id: id }))?.memberCount, 21);
    assert.equal((await previewOf(ben, room.id)).room.memberCount, 21);
    const joined = await stored.collection("messages").find({ conversationId: id, kind: "system", text: / joined$/ }).toArray();
    assert.equal(joined.length, 20);
    assert.equal(new Set(joined.map((m) => String(m.senderId))).size, 20);
    // Over the socket too: joining again acks the room and writes nothing.
    const again = await emitAck<{ conversation: ConversationDto }>(await open(people[0]!), "room:join", { conversationId: room.id });
    assert.ok(again.ok);
    assert.equal(await stored.collection("messages").countDocuments({ conversationId: id, kind: "system", text: / joined$/ }), 20);
  });

  it("tells a room of more than 64 members only who came and went, in one small broadcast", async () => {
    const { room } = await createRoom(ana, { name: `Big ${randomUUID().slice(0, 4)}` });
    const crowd = await Promise.all(Array.from({ length: 65 }, (_, i) => createUser(stack, `Big${i} Rooms`)));
    for (const statuses of await Promise.all(crowd.map((p) => join(p, room.id)))) assert.equal(statuses.status, 201);
    const anaSocket = await open(ana);
    const updates = collect<{ conversation: ConversationDto & { memberDelta?: { added: { id: string }[]; removed: string[] } } }>(anaSocket, "conversation:updated");
    const raw: number[] = [];
    (anaSocket as unknown as { on(event: string, listener: (payload: unknown) => void): void }).on("conversation:updated", (payload) => raw.push(JSON.stringify(payload).length));
    assert.equal((await join(ben, room.id)).status, 201);
    const joined = await waitFor(() => updates.find((u) => u.conversation.id === room.id), { what: "conversation:updated for Ben's join" });
    assert.deepEqual(joined.conversation.members, []);
    assert.deepEqual(joined.conversation.memberDelta?.added.map((m) => m.id), [ben.id]);
    assert.equal(joined.conversation.room?.memberCount, 67);
    assert.ok(raw[0]! < 1_000, `the broadcast is small: ${raw[0]} characters`);
    assert.equal((await leave(ben, room.id)).status, 204);
    const left = await waitFor(() => updates.find((u) => u.conversation.memberDelta?.removed.includes(ben.id)), { what: "Ben's leave" });
    assert.equal(left.conversation.room?.memberCount, 66);
    // Ben's own view when he joins is complete: every member, for mentions and receipts.
    const view = await (await join(ben, room.id)).json() as { conversation: ConversationDto };
    assert.equal(view.conversation.members.length, 67);
  });

  it("hands ownership over when the owner leaves, and lists rooms by size", async () => {
    const { room } = await createRoom(cleo, { name: `Handover ${randomUUID().slice(0, 4)}` });
    assert.equal((await join(ana, room.id)).status, 201);
    await sleep(5);
    assert.equal((await join(ben, room.id)).status, 201);
    assert.equal((await leave(cleo, room.id)).status, 204);
    assert.equal(await roleIn(ana, room.id, ana.id), "owner", "the longest-standing member owns it now");
    assert.equal((await previewOf(ben, room.id)).room.memberCount, 2);
    const bySize = await directory(ben, { sort: "size" });
    const counts = bySize.map((r) => r.memberCount);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), "largest first");
  });

  it("archives a room: read-only for members, gone from the directory, and NOT_FOUND to join or preview", async () => {
    const { room } = await createRoom(ana, { name: `Archive ${randomUUID().slice(0, 4)}`, topic: "old" });
    assert.equal((await join(ben, room.id)).status, 201);
    const [anaSocket, benSocket, cleoSocket] = await Promise.all([open(ana), open(ben), open(cleo)]);
    const kept = await send(benSocket, room.id, "before the archive");
    const directoryHeard = collect<{ room: RoomDto }>(cleoSocket, "room:updated");

    // A plain member may not archive, change the topic or rename; a stranger finds nothing.
    assert.equal(await errorCode(await updateRoom(ben, room.id, { archived: true })), "FORBIDDEN");
    assert.equal(await errorCode(await updateRoom(cleo, room.id, { topic: "mine now" })), "NOT_FOUND");
    assert.equal(await errorCode(await ben.api(`/api/conversations/${room.id}`, { method: "PATCH", body: JSON.stringify({ name: "Mine" }) })), "FORBIDDEN");

    const retopic = await updateRoom(ana, room.id, { topic: "new topic", name: "Archive renamed" });
    assert.equal(retopic.status, 200);
    await waitFor(() => directoryHeard.some((e) => e.room.id === room.id && e.room.topic === "new topic" && e.room.name === "Archive renamed"), { what: "room:updated with the topic" });
    assert.ok((await directory(cleo, { q: "renamed" })).some((r) => r.id === room.id), "found by its new name");

    assert.equal((await updateRoom(ana, room.id, { archived: true })).status, 200);
    await waitFor(() => directoryHeard.some((e) => e.room.id === room.id && !e.room.listed && e.room.archived), { what: "room:updated leaving the directory" });
    assert.ok(!(await directory(cleo)).some((r) => r.id === room.id));
    assert.equal(await errorCode(await join(cleo, room.id)), "NOT_FOUND");
    assert.equal(await errorCode(await preview(cleo, room.id)), "NOT_FOUND");
    const joinAck = await emitAck(cleoSocket, "room:join", { conversationId: room.id });
    assert.equal(!joinAck.ok && joinAck.error.code, "NOT_FOUND");

    for (const [event, payload] of [
      ["message:send", { conversationId: room.id, clientMsgId: randomUUID(), text: "still here?" }],
      ["message:react", { messageId: kept.id, emoji: "👍" }],
      ["message:edit", { messageId: kept.id, text: "changed" }],
      ["message:pin", { messageId: kept.id, pinned: true }],
    ] as const) {
      const ack = await emitAck(benSocket, event, payload);
      assert.ok(!ack.ok && ack.error.code === "FORBIDDEN" && /archived/.test(ack.error.message), `${event}: ${JSON.stringify(ack)}`);
    }
    const overHttp = await ben.api(`/api/conversations/${room.id}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "http" }) });
    assert.equal(overHttp.status, 403);
    // Members still read it, and the history is as it was.
    assert.ok((await previewOf(ben, room.id)).messages.some((m) => m.id === kept.id));
    // The server admin restores it without being a member.
    assert.equal((await updateRoom(admin, room.id, { archived: false })).status, 200);
    assert.ok((await directory(cleo)).some((r) => r.id === room.id));
    await send(anaSocket, room.id, "back again");
  });

  it("keeps a private room out of the directory and out of reach: NOT_FOUND to join or preview, no room:created", async () => {
    const cleoSocket = await open(cleo);
    const created = collect<{ room: RoomDto }>(cleoSocket, "room:created");
    const { room } = await createRoom(ana, { name: "Hidden den", public: false });
    assert.equal(room.listed, false);
    assert.equal(await errorCode(await join(cleo, room.id)), "NOT_FOUND");
    assert.equal(await errorCode(await preview(cleo, room.id)), "NOT_FOUND");
    assert.ok(!(await directory(cleo, { q: "hidden" })).some((r) => r.id === room.id));
    // Its owner adds people to it; they may leave again.
    assert.equal((await ana.api(`/api/conversations/${room.id}/members`, { method: "POST", body: JSON.stringify({ userId: cleo.id }) })).status, 201);
    assert.equal((await previewOf(cleo, room.id)).room.memberCount, 2);
    await sleep(300);
    assert.ok(!created.some((e) => e.room.id === room.id));
  });

  it("refuses hostile room bodies and queries with VALIDATION", async () => {
    const cases: [string, string, unknown][] = [
      ...["", "  ", "\u200b", "n".repeat(81), 5, null, { $gt: "" }, ["a"], "a\ud800"].map((name) => ["POST", "/api/rooms", { name }] as [string, string, unknown]),
      ...["t".repeat(251), 7, { $ne: null }, ["t"], "\udc00"].map((topic) => ["POST", "/api/rooms", { name: "Valid", topic }] as [string, string, unknown]),
      ...["true", 1, null, { $gt: "" }].map((flag) => ["POST", "/api/rooms", { name: "Valid", public: flag }] as [string, string, unknown]),
      ["PATCH", "/api/rooms/0123456789abcdef01234567", {}],
      ["PATCH", "/api/rooms/0123456789abcdef01234567", { archived: "yes" }],
      ["PATCH", "/api/rooms/%24gt", { topic: "x" }],
      ["GET", "/api/rooms?sort=%24natural", undefined],
      ["GET", `/api/rooms?q=${"q".repeat(101)}`, undefined],
      ["POST", "/api/rooms/zz/join", undefined],
      ["GET", "/api/rooms/__proto__", undefined],
    ];
    const before = await directory(ana);
    for (const [method, path, body] of cases) {
      const response = await ana.api(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.equal(await errorCode(response), "VALIDATION", `${method} ${path} ${JSON.stringify(body)?.slice(0, 40)}`);
    }
    assert.deepEqual((await directory(ana)).map((r) => r.id), before.map((r) => r.id));
  });
});

describe("rooms: who may create them, and server admins", { timeout: 120_000 }, () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack({ env: { ROOM_CREATION: "admins" } });
  });

  after(async () => {
    await stack?.stop();
  });

  it("makes exactly one of eight concurrent first sign-ups the admin; only admins create rooms; the last admin stays", async () => {
    const people = await Promise.all(Array.from({ length: 8 }, (_, i) => createUser(stack, `First${i} Admins`)));
    const roles = await Promise.all(people.map(async (p) => ((await (await p.api("/api/admins")).json()) as { role: string | null }).role));
    assert.equal(roles.filter((role) => role === "admin").length, 1, `roles: ${roles.join(",")}`);
    const first = people[roles.indexOf("admin")]!;
    const other = people.find((p) => p !== first)!;

    assert.equal(await errorCode(await other.api("/api/rooms", { method: "POST", body: JSON.stringify({ name: "Nope" }) })), "FORBIDDEN");
    assert.equal((await first.api("/api/rooms", { method: "POST", body: JSON.stringify({ name: "Official" }) })).status, 201);
    assert.equal(await errorCode(await other.api(`/api/admins/${other.id}`, { method: "PUT" })), "FORBIDDEN");

    assert.equal(await errorCode(await first.api(`/api/admins/${first.id}`, { method: "DELETE" })), "FORBIDDEN", "the last admin cannot step down");
    const granted = await first.api(`/api/admins/${other.id}`, { method: "PUT" });
    assert.equal(granted.status, 200);
    assert.equal(((await granted.json()) as { admins: unknown[] }).admins.length, 2);
    assert.equal((await other.api("/api/rooms", { method: "POST", body: JSON.stringify({ name: "Now allowed" }) })).status, 201);
    // Two admins removing each other at once: one of them stays.
    const both = await Promise.all([first.api(`/api/admins/${other.id}`, { method: "DELETE" }), other.api(`/api/admins/${first.id}`, { method: "DELETE" })]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 403]);
    const after = await Promise.all([first, other].map(async (p) => ((await (await p.api("/api/admins")).json()) as { role: string | null }).role));
    assert.equal(after.filter((role) => role === "admin").length, 1);
  });
});
