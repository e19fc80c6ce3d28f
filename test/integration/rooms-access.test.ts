// The rooms' rows of the security battery: every room route and event, and every member-only
// action aimed at a room, tried by a stranger, a previewer (who looked at the room first), a removed
// member and a member of another room. Each denial is checked for side effects (the database is
// unchanged and no socket hears anything); then the legitimate actor succeeds, which proves each
// denial was about the actor. The group matrix (authorization-matrix.test.ts) lists these entries
// in its OUTSIDE_MATRIX with a pointer here.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { MongoClient } from "mongodb";
import type { Socket } from "socket.io-client";
import type { Ack } from "../../lib/realtime/events";
import type { MessageDto } from "../../lib/schemas/dto";
import { createRoom, join, preview, previewOf } from "../support/rooms";
import { WITHOUT_INDEX_BOOKKEEPING } from "../support/snapshot";
import { startStack, type Stack } from "../support/stack";
import { connect, createUser, emitAck, sleep, type TestSocket, type TestUser } from "../support/users";

type Actor = TestUser & { socket: TestSocket };
type Outcome = { ok: true } | { ok: false; code: string; status?: number };
type Target = { roomId: string; messageId: string };
type Row = { name: string; run: (actor: Actor, t: Target) => Promise<Outcome>; legitimate: "member" | "owner" };

const fromAck = (ack: Ack<unknown>): Outcome => (ack.ok ? { ok: true } : { ok: false, code: ack.error.code });
async function fromResponse(response: Response): Promise<Outcome> {
  const text = await response.text();
  if (response.status < 300) return { ok: true };
  return { ok: false, status: response.status, code: (JSON.parse(text) as { error: { code: string } }).error.code };
}
const socketRow = (event: string, payload: (t: Target) => object, legitimate: Row["legitimate"] = "member"): Row => ({
  name: `socket ${event}`,
  legitimate,
  run: async (actor, t) => fromAck(await emitAck(actor.socket, event as "room:join", payload(t))),
});
const routeRow = (method: string, path: string, body?: object, legitimate: Row["legitimate"] = "member"): Row => ({
  name: `${method} ${path}`,
  legitimate,
  run: async (actor, t) => fromResponse(await actor.api(path.replace(":id", t.roomId).replace(":messageId", t.messageId), { method, body: body ? JSON.stringify(body) : undefined })),
});

/** What only members (or the room's owner) may do in a room; everyone else gets what a missing room gets. */
const MEMBER_ROWS: Row[] = [
  socketRow("message:send", (t) => ({ conversationId: t.roomId, clientMsgId: randomUUID(), text: "battery" })),
  socketRow("message:react", (t) => ({ messageId: t.messageId, emoji: "👍" })),
  socketRow("message:pin", (t) => ({ messageId: t.messageId, pinned: true })),
  socketRow("conversation:read", (t) => ({ conversationId: t.roomId, seq: 1 })),
  socketRow("conversation:delivered", (t) => ({ conversationId: t.roomId, seq: 1 })),
  socketRow("sync", (t) => ({ conversationId: t.roomId, sinceVersion: 0 })),
  socketRow("typing", (t) => ({ conversationId: t.roomId, typing: true })),
  socketRow("room:leave", (t) => ({ conversationId: t.roomId })),
  routeRow("POST", "/api/conversations/:id/messages", { clientMsgId: randomUUID(), text: "battery" }),
  routeRow("GET", "/api/conversations/:id/messages"),
  routeRow("GET", "/api/conversations/:id/sync?since=0"),
  routeRow("POST", "/api/conversations/:id/read", { seq: 1 }),
  routeRow("POST", "/api/messages/:messageId/reactions", { emoji: "👍" }),
  routeRow("POST", "/api/rooms/:id/leave"),
  routeRow("PATCH", "/api/rooms/:id", { topic: "taken over" }, "owner"),
  routeRow("PATCH", "/api/conversations/:id", { name: "Taken over" }, "owner"),
  routeRow("POST", "/api/conversations/:id/members", { userId: "0".repeat(24) }, "owner"),
];

describe("rooms: authorization battery", { timeout: 240_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  let owner: Actor;
  let member: Actor;
  let stranger: Actor;
  let previewer: Actor;
  let removed: Actor;
  let elsewhere: Actor;
  let target: Target;
  const heard: string[] = [];

  const actor = async (name: string): Promise<Actor> => {
    const user = await createUser(stack, `${name} Battery`);
    const socket = await connect(stack, { token: user.token });
    (socket as unknown as Socket).onAny((event: string, payload: { conversationId?: string; room?: { id: string } }) => {
      // The directory's broadcasts reach every socket by design; anything else about the room must not.
      if (event !== "room:updated" && event !== "room:created") heard.push(`${name} heard ${event} ${JSON.stringify(payload).slice(0, 60)}`);
    });
    return { ...user, socket };
  };

  async function snapshot(): Promise<string> {
    const database = db.db(stack.env.MONGODB_DB);
    return JSON.stringify(await Promise.all(["conversations", "memberships", "messages", "users", "singletons"].map((c) => database.collection(c).find({}, WITHOUT_INDEX_BOOKKEEPING).sort({ _id: 1 }).toArray())));
  }

  before(async () => {
    stack = await startStack();
    db = new MongoClient(stack.mongoUri);
    await db.connect();
    // The first account is the server admin: the owner, so no actor below holds that role.
    owner = await actor("Owner");
    [member, stranger, previewer, removed, elsewhere] = await Promise.all(["Member", "Stranger", "Previewer", "Removed", "Elsewhere"].map(actor)) as [Actor, Actor, Actor, Actor, Actor];
    const { room } = await createRoom(owner, { name: "Battery room", topic: "guarded" });
    for (const who of [member, removed]) assert.equal((await join(who, room.id)).status, 201);
    const first = await emitAck<{ message: MessageDto }>(owner.socket, "message:send", { conversationId: room.id, clientMsgId: randomUUID(), text: "first" });
    assert.ok(first.ok);
    assert.equal((await owner.api(`/api/conversations/${room.id}/members/${removed.id}`, { method: "DELETE" })).status, 204);
    await previewOf(previewer, room.id);
    const other = await createRoom(elsewhere, { name: "Another room" });
    assert.ok(other.room.id);
    target = { roomId: room.id, messageId: first.data.message.id };
    await sleep(300);
    heard.length = 0;
  });

  after(async () => {
    for (const a of [owner, member, stranger, previewer, removed, elsewhere]) a?.socket.disconnect();
    await db?.close();
    await stack?.stop();
  });

  async function expectDenied(row: Row, who: Actor, code: string, t: Target, label: string) {
    const before = await snapshot();
    const outcome = await row.run(who, t);
    assert.equal(outcome.ok, false, `${row.name} by ${label} succeeded`);
    if (!outcome.ok) {
      assert.equal(outcome.code, code, `${row.name} by ${label}`);
      if (outcome.status !== undefined) assert.equal(outcome.status, code === "NOT_FOUND" ? 404 : 403, `${row.name} by ${label}: status`);
    }
    assert.equal(await snapshot(), before, `${row.name} by ${label} changed the database`);
  }

  for (const row of MEMBER_ROWS) {
    it(`${row.name} in a room: a stranger, a previewer, a removed member and another room's member get NOT_FOUND; the ${row.legitimate} gets through`, async () => {
      const missing = { roomId: randomUUID().replace(/-/g, "").slice(0, 24), messageId: randomUUID().replace(/-/g, "").slice(0, 24) };
      await expectDenied(row, stranger, "NOT_FOUND", missing, "anyone, for a room that does not exist");
      for (const [who, label] of [[stranger, "a stranger"], [previewer, "a previewer"], [removed, "a removed member"], [elsewhere, "a member of another room"]] as const) {
        await expectDenied(row, who, "NOT_FOUND", target, label);
      }
      if (row.legitimate === "owner") await expectDenied(row, member, "FORBIDDEN", target, "a plain member");
      await sleep(200);
      assert.deepEqual(heard, [], `${row.name}: a denial was announced`);
      const legitimateActor = row.legitimate === "owner" ? owner : member;
      const outcome = await row.run(legitimateActor, target);
      // The owner adding a user that does not exist: the request passed every check up to the person.
      const expected = row.name.endsWith("/members") ? { ok: false, code: "NOT_FOUND", status: 404 } : { ok: true };
      assert.deepEqual(outcome, expected, `${row.name} by its legitimate actor`);
      if (row.name.includes("leave")) assert.equal((await join(member, target.roomId)).status, 201, "the member joins again for the next row");
      await sleep(200);
      heard.length = 0;
    });
  }

  it("previews and joins: open to anyone for a listed room; NOT_FOUND for a private or archived one, for everyone outside it", async () => {
    const { room: hidden } = await createRoom(owner, { name: "Private battery", public: false });
    const { room: archived } = await createRoom(owner, { name: "Archived battery" });
    assert.equal((await owner.api(`/api/rooms/${archived.id}`, { method: "PATCH", body: JSON.stringify({ archived: true }) })).status, 200);
    const rows: Row[] = [routeRow("GET", "/api/rooms/:id"), routeRow("POST", "/api/rooms/:id/join"), socketRow("room:join", (t) => ({ conversationId: t.roomId }))];
    for (const roomId of [hidden.id, archived.id]) {
      for (const row of rows) {
        for (const [who, label] of [[stranger, "a stranger"], [previewer, "a previewer"], [removed, "a removed member"], [elsewhere, "a member of another room"], [member, "a member of the listed room"]] as const) {
          await expectDenied(row, who, "NOT_FOUND", { roomId, messageId: target.messageId }, `${label} (${roomId === hidden.id ? "private" : "archived"})`);
        }
      }
    }
    // A listed room: a preview shows messages but no member, watermark or address.
    const look = await preview(stranger, target.roomId);
    assert.equal(look.status, 200);
    const text = await look.text();
    assert.ok(!text.includes("@") && !text.includes("readSeq") && !text.includes("members"), text.slice(0, 300));
  });

  it("server roles: only admins grant or take back the admin role; anyone reads their own", async () => {
    for (const who of [stranger, member]) {
      assert.equal((await who.api(`/api/admins/${who.id}`, { method: "PUT" })).status, 403);
      assert.equal((await who.api(`/api/admins/${owner.id}`, { method: "DELETE" })).status, 403);
      assert.deepEqual(await (await who.api("/api/admins")).json(), { role: null, admins: [] });
    }
    assert.equal(((await (await owner.api("/api/admins")).json()) as { role: string }).role, "admin");
  });
});
