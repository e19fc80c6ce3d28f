// Presence over the real stack: aggregated over a user's sockets (closing one of two keeps them
// online), "last seen" stored and announced after the last one closes, a snapshot on every
// connection, and never a word about anyone to someone who shares no conversation with them.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import { MongoClient, ObjectId } from "mongodb";
import type { PresenceDto } from "../../lib/schemas/dto";
import { startStack, type Stack } from "../support/stack";
import { collect, createUser, openDirect, openRecoverable, sleep, socketPool, waitFor, type TestSocket, type TestUser } from "../support/users";

const GRACE_MS = 300;
// Long enough for anything the server would announce after the grace period.
const SETTLE_MS = GRACE_MS + 500;

type Snapshot = { users: PresenceDto[]; online?: string[] };

/** A frame's entries as the client reads them: `online` lists more users, online, by id alone (a large group's). */
const entries = (frame: Snapshot): PresenceDto[] => [...frame.users, ...(frame.online ?? []).map((userId) => ({ userId, online: true, lastSeenAt: null }))];

/** What a socket hears: live announcements, and the entries of every snapshot (after the first, on connecting). */
type Watch = { socket: TestSocket; live: PresenceDto[]; snapshots: PresenceDto[]; snapshot: Snapshot; frames: number; later: Snapshot[] };

const about = (heard: PresenceDto[], user: TestUser) => heard.filter((p) => p.userId === user.id);
const everything = (watch: Watch) => [...watch.live, ...watch.snapshots];

describe("presence", { timeout: 120_000 }, () => {
  let stack: Stack;
  let db: MongoClient;
  const pool = socketPool(() => stack);
  const users: Record<string, TestUser> = {};
  const person = async (name: string) => (users[name] = await createUser(stack, `${name} Presence`));

  /** A socket whose first snapshot has arrived. */
  async function openWatching(user: TestUser): Promise<Watch> {
    let live: PresenceDto[] = [];
    let all: Snapshot[] = [];
    const socket = await pool.open(user, (opening) => {
      live = collect<PresenceDto>(opening, "presence");
      all = collect<Snapshot>(opening, "presence:snapshot");
    });
    const snapshot = await waitFor(() => all[0], { what: `${user.name}'s snapshot` });
    return {
      socket,
      live,
      snapshot,
      get snapshots() {
        return all.slice(1).flatMap(entries);
      },
      /** How many snapshot frames came after the first. */
      get frames() {
        return all.length - 1;
      },
      /** The snapshot frames after the first. */
      get later() {
        return all.slice(1);
      },
    };
  }

  const storedLastSeen = async (user: TestUser) => {
    const doc = await db.db(stack.env.MONGODB_DB).collection("users").findOne({ _id: new ObjectId(user.id) });
    return (doc?.lastSeenAt as Date | null | undefined)?.toISOString() ?? null;
  };

  /** The stored last seen, once there is one (it is written just after it is announced). */
  async function eventuallyStored(user: TestUser): Promise<string> {
    const deadline = Date.now() + SETTLE_MS + 2_000;
    for (;;) {
      const stored = await storedLastSeen(user);
      if (stored) return stored;
      if (Date.now() > deadline) throw new Error(`${user.name}'s last seen was never stored`);
      await sleep(50);
    }
  }

  before(async () => {
    stack = await startStack({ env: { PRESENCE_OFFLINE_GRACE_MS: String(GRACE_MS) } });
    db = new MongoClient(stack.mongoUri);
    await db.connect();
  });

  after(async () => {
    pool.closeAll();
    await db?.close();
    await stack?.stop();
  });

  it("is online while any of a user's sockets is: closing one of two changes nothing, closing the last announces 'last seen'", async () => {
    const [ana, ben, stranger] = await Promise.all(["Ana", "Ben", "Stranger"].map(person)) as [TestUser, TestUser, TestUser];
    await openDirect(ana, ben);
    const benWatch = await openWatching(ben);
    const strangerWatch = await openWatching(stranger);

    const firstTab = await pool.open(ana);
    await waitFor(() => about(benWatch.live, ana).length === 1, { what: "Ben hearing Ana come online" });
    const secondTab = await pool.open(ana);
    firstTab.disconnect();
    await sleep(SETTLE_MS);
    assert.deepEqual(about(benWatch.live, ana), [{ userId: ana.id, online: true, lastSeenAt: null }], "a second tab or closing one of two was announced");

    const closedAt = Date.now();
    secondTab.disconnect();
    const offline = await waitFor(() => about(benWatch.live, ana)[1], { timeoutMs: SETTLE_MS + 1_000, what: "Ben hearing Ana go offline" });
    assert.equal(offline.online, false);
    assert.ok(offline.lastSeenAt, "no last seen");
    const lastSeen = Date.parse(offline.lastSeenAt);
    assert.ok(lastSeen >= closedAt - 50 && lastSeen <= closedAt + 500, `last seen ${offline.lastSeenAt} is not when the last tab closed`);
    assert.ok(Date.now() - closedAt >= GRACE_MS, "announced before the grace period ended");
    assert.equal(await eventuallyStored(ana), offline.lastSeenAt, "lastSeenAt is stored on the last disconnect");

    // Someone who shares no conversation with Ana heard nothing about her.
    await sleep(SETTLE_MS);
    assert.deepEqual(about(everything(strangerWatch), ana), []);
  });

  it("sends a snapshot on every connection: who is online, and when the others were last seen", async () => {
    const [ana, ben, cleo, stranger] = await Promise.all(["Ana", "Ben", "Cleo", "Stranger"].map(person)) as [TestUser, TestUser, TestUser, TestUser];
    await Promise.all([openDirect(ana, ben), openDirect(ana, cleo), openDirect(stranger, cleo)]);
    // Ben has been and gone; Cleo is here.
    const benTab = await pool.open(ben);
    await sleep(50);
    benTab.disconnect();
    const benLastSeen = await eventuallyStored(ben);
    await pool.open(cleo);

    const { snapshot } = await openWatching(ana);
    const byUser = Object.fromEntries(snapshot.users.map((p) => [p.userId, p]));
    assert.deepEqual(Object.keys(byUser).sort(), [ben.id, cleo.id].sort(), "the snapshot is about exactly the people Ana shares a conversation with");
    assert.deepEqual(byUser[ben.id], { userId: ben.id, online: false, lastSeenAt: benLastSeen });
    assert.deepEqual(byUser[cleo.id], { userId: cleo.id, online: true, lastSeenAt: null });

    // The stranger shares a conversation with Cleo, not with Ana: Cleo is in their snapshot, Ana is not.
    const strangers = await openWatching(stranger);
    assert.deepEqual(strangers.snapshot.users.map((p) => p.userId), [cleo.id]);
    await sleep(SETTLE_MS);
    assert.deepEqual(about(everything(strangers), ana), []);
  });

  it("does not announce a reload: back within the grace period, nobody hears anything", async () => {
    const [ana, ben] = await Promise.all(["Ana", "Ben"].map(person)) as [TestUser, TestUser];
    await openDirect(ana, ben);
    const tab = await pool.open(ana);
    const benWatch = await openWatching(ben);
    assert.deepEqual(about(benWatch.snapshot.users, ana), [{ userId: ana.id, online: true, lastSeenAt: null }]);
    tab.disconnect();
    await sleep(GRACE_MS / 3);
    await pool.open(ana);
    await sleep(SETTLE_MS);
    assert.deepEqual(about(everything(benWatch), ana), [], "a reload was announced");
    assert.equal(await storedLastSeen(ana), null, "nothing to store: Ana never went offline");
  });

  it("tells the members of a new conversation about each other, and a removed member hears no more", async () => {
    const [ana, ben, cleo] = await Promise.all(["Ana", "Ben", "Cleo"].map(person)) as [TestUser, TestUser, TestUser];
    const [anaWatch, benWatch, cleoWatch] = (await Promise.all([ana, ben, cleo].map(openWatching))) as [Watch, Watch, Watch];
    await sleep(SETTLE_MS);
    assert.deepEqual([...about(everything(anaWatch), ben), ...about(everything(benWatch), ana), ...about(everything(cleoWatch), ana)], [], "strangers so far");

    // A group: every member learns every other member's presence at once.
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Presence", memberIds: [ben.id, cleo.id] }) });
    const group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    await waitFor(() => about(benWatch.snapshots, ana).length > 0 && about(cleoWatch.snapshots, ben).length > 0, { what: "the members' presence" });
    assert.deepEqual(about(benWatch.snapshots, ana), [{ userId: ana.id, online: true, lastSeenAt: null }]);

    // Cleo is removed: Ana's comings and goings no longer reach her.
    const removed = await ana.api(`/api/conversations/${group}/members/${cleo.id}`, { method: "DELETE" });
    assert.equal(removed.status, 204);
    await sleep(100);
    const heardBefore = about(everything(cleoWatch), ana).length;
    const benHeardBefore = about(benWatch.live, ana).length;
    anaWatch.socket.disconnect();
    await waitFor(() => about(benWatch.live, ana).length > benHeardBefore, { timeoutMs: SETTLE_MS + 1_000, what: "Ben hearing Ana go offline" });
    await pool.open(ana);
    await waitFor(() => about(benWatch.live, ana).length > benHeardBefore + 1, { what: "Ben hearing Ana come back" });
    await sleep(SETTLE_MS);
    assert.equal(about(everything(cleoWatch), ana).length, heardBefore, "a removed member still hears about the group's members");
    const fresh = await openWatching(cleo);
    assert.deepEqual(about(fresh.snapshot.users, ana), [], "a removed member's snapshot still has the group's members");
  });

  it("is not replayed to a member removed while away when their connection state is recovered", async () => {
    const [ana, ben, cleo] = await Promise.all(["Ana", "Ben", "Cleo"].map(person)) as [TestUser, TestUser, TestUser];
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Away", memberIds: [ben.id, cleo.id] }) });
    const group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    const benWatch = await openWatching(ben);
    const cleoSocket = openRecoverable(stack, cleo.token, { delayMs: 2_000 });
    pool.sockets.push(cleoSocket);
    const cleoHeard = collect<PresenceDto>(cleoSocket, "presence");
    const cleoSnapshots = collect<Snapshot>(cleoSocket, "presence:snapshot");
    const cleoMessages = collect<unknown>(cleoSocket, "message:created");
    await waitFor(() => cleoSocket.connected, { what: "Cleo connected" });
    const anaTab = await pool.open(ana);
    await waitFor(() => about(cleoHeard, ana).length === 1, { what: "Cleo hearing Ana come online" });
    // A stored broadcast, so that her session has an offset to resume from (presence is not kept for replay).
    await ana.api(`/api/conversations/${group}/messages`, { method: "POST", body: JSON.stringify({ clientMsgId: randomUUID(), text: "before you go" }) });
    await waitFor(() => cleoMessages.length === 1, { what: "Cleo hearing Ana's message" });

    cleoSocket.io.engine.close();
    await waitFor(() => !cleoSocket.connected, { what: "Cleo away" });
    assert.equal((await ana.api(`/api/conversations/${group}/members/${cleo.id}`, { method: "DELETE" })).status, 204);
    // Ana goes and comes back while Cleo is away and no longer a member.
    const benHeard = about(benWatch.live, ana).length;
    anaTab.disconnect();
    await waitFor(() => about(benWatch.live, ana).length === benHeard + 1, { timeoutMs: SETTLE_MS + 1_000, what: "Ana going offline" });
    await pool.open(ana);
    await waitFor(() => about(benWatch.live, ana).length === benHeard + 2, { what: "Ana coming back" });

    await waitFor(() => cleoSocket.connected, { timeoutMs: 5_000, what: "Cleo back" });
    assert.equal(cleoSocket.recovered, true, "the session itself was recovered");
    await sleep(SETTLE_MS);
    assert.equal(about(cleoHeard, ana).length, 1, "presence said while Cleo was away, after her removal, was replayed to her");
    assert.deepEqual(cleoSnapshots.flatMap((s) => about(s.users, ana)).slice(1), [], "her snapshot on coming back still has Ana");
  });
  it("in a large group, goes out in batches: the newest presence of each who changed, about once a second, instead of every change to every member", async () => {
    const [ana, ben, cleo] = await Promise.all(["Ana", "Ben", "Cleo"].map(person)) as [TestUser, TestUser, TestUser];
    const created = await ana.api("/api/conversations", { method: "POST", body: JSON.stringify({ kind: "group", name: "Everyone", memberIds: [ben.id, cleo.id] }) });
    const group = ((await created.json()) as { conversation: { id: string } }).conversation.id;
    // 80 more members, seeded with their tokens, so that the room holds more than 64 sockets (socket-server/presence/tracker.ts), even after ten leave.
    const crowd = Array.from({ length: 80 }, (_, i) => ({ _id: new ObjectId(), name: `Crowd ${i}`, email: `crowd-${i}-${group}@example.test`, passwordHash: "x", createdAt: new Date(), lastSeenAt: null }));
    const database = db.db(stack.env.MONGODB_DB);
    await database.collection("users").insertMany(crowd);
    await database.collection("memberships").insertMany(
      crowd.map((user) => ({ conversationId: new ObjectId(group), userId: user._id, role: "member", joinedAt: new Date(), lastDeliveredSeq: 0, lastReadSeq: 0, muted: false })),
    );
    const key = new TextEncoder().encode(stack.env.REALTIME_TOKEN_SECRET);
    const tokens = await Promise.all(
      crowd.map((user) => new SignJWT({ name: user.name, epoch: 0 }).setProtectedHeader({ alg: "HS256" }).setSubject(user._id.toHexString()).setAudience("parley:realtime").setIssuer("parley:web").setExpirationTime("10m").sign(key)),
    );
    for (const token of tokens) await pool.open({ token });
    const benWatch = await openWatching(ben);
    // The group's members come in a frame of their own, shared by whoever connected at about the same time.
    assert.deepEqual(benWatch.snapshot.users, [], "Ben's own snapshot leaves the large group out");
    const crowdIds = new Set(crowd.map((user) => user._id.toHexString()));
    // A batch of the last second's arrivals (Ben's own among them) may come first: the snapshot is the frame with the whole crowd.
    const whole = (frame: Snapshot) => (frame.online ?? []).filter((id) => crowdIds.has(id)).length === 80;
    const groupFrame = await waitFor(() => benWatch.later.find(whole), { timeoutMs: 2_000, what: "the group's snapshot: the whole crowd, online, in one frame, by id" });
    assert.deepEqual(groupFrame.users, [], "offline members are left out (Ana and Cleo): no last-seen times read for a large group");
    assert.ok(!groupFrame.online!.includes(ana.id));
    const heard = benWatch.snapshots.length;

    const tab = await pool.open(ana);
    await sleep(100);
    assert.deepEqual(about(benWatch.live, ana), [], "announced one by one in a large group");
    const online = await waitFor(() => about(benWatch.snapshots.slice(heard), ana)[0], { timeoutMs: 2_500, what: "Ana's presence in a batch" });
    assert.deepEqual(online, { userId: ana.id, online: true, lastSeenAt: null });
    assert.ok(benWatch.later.some((frame) => frame.online?.includes(ana.id) && !frame.users.some((p) => p.userId === ana.id)), "online by id alone");

    // Ten of the crowd leave at once: each member hears it in one or two frames, not ten.
    const [framesBefore, heardBefore] = [benWatch.frames, benWatch.snapshots.length];
    for (const socket of pool.sockets.slice(-82, -72)) socket.disconnect();
    await sleep(GRACE_MS + 2_200);
    assert.ok(benWatch.frames - framesBefore <= 3, `${benWatch.frames - framesBefore} frames for ten departures`);
    const gone = benWatch.snapshots.slice(heardBefore).filter((p) => !p.online);
    assert.equal(new Set(gone.map((p) => p.userId)).size, 10, "every departure reached Ben");
    assert.ok(gone.every((p) => p.lastSeenAt !== null));

    // Ana leaves: the batch carries her last seen, and nothing about her reached Ben one by one.
    tab.disconnect();
    const offline = await waitFor(() => about(benWatch.snapshots.slice(heard), ana).find((p) => !p.online), { timeoutMs: GRACE_MS + 2_500, what: "Ana's departure in a batch" });
    assert.equal(offline.lastSeenAt, await eventuallyStored(ana));
    assert.deepEqual(about(benWatch.live, ana), []);

    // Dan joins: the room hears the group's presence as its snapshots give it, who is online by id (no one's last seen read).
    const dan = await person("Dan");
    const danWatch = await openWatching(dan);
    const framesNow = benWatch.later.length;
    assert.equal((await ana.api(`/api/conversations/${group}/members`, { method: "POST", body: JSON.stringify({ userId: dan.id }) })).status, 201);
    const joined = await waitFor(() => benWatch.later.slice(framesNow).find((frame) => frame.online?.includes(dan.id)), { timeoutMs: 3_000, what: "the group's presence after Dan joined" });
    assert.deepEqual(joined.users, []);
    assert.deepEqual(joined.online!.filter((id) => crowdIds.has(id)).length, 70, "the crowd still connected");
    assert.ok(joined.online!.includes(ben.id) && !joined.online!.includes(ana.id));
    await waitFor(() => danWatch.later.some((frame) => frame.online?.includes(ben.id)), { timeoutMs: 3_000, what: "Dan hearing who is online in the group" });
  });
});
