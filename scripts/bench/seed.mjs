// Seeds the bench's users, conversations and memberships straight into the database, in the
// shape lib/db/* writes them (sign-up would be far too slow: argon2), and mints realtime tokens
// the way lib/auth/realtime-token.ts does. Parley creates its indexes itself when it starts.
import { createHash, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { MongoClient, ObjectId } from "mongodb";
import { SECANTUS_VERSION } from "../database.mjs";

/**
 * The population: users 0..loadUsers-1 in rooms of `roomSize` (the fixed-load and rate tests),
 * the next `fanoutMembers` in one big group (fan-out), and the rest, up to `totalUsers`, in
 * rooms of `roomSize` too, so every idle connection of the memory test belongs somewhere.
 */
export function planPopulation({ totalUsers, loadUsers, roomSize, fanoutMembers }) {
  const rooms = [];
  const group = (from, to, size) => {
    for (let start = from; start < to; start += size) rooms.push({ id: new ObjectId(), members: range(start, Math.min(to, start + size)) });
  };
  group(0, loadUsers, roomSize);
  const fanoutRoom = rooms.length;
  group(loadUsers, loadUsers + fanoutMembers, fanoutMembers);
  group(loadUsers + fanoutMembers, totalUsers, roomSize);
  const users = range(0, totalUsers).map((i) => ({ id: new ObjectId(), name: `Bench ${i}` }));
  const roomOf = new Array(totalUsers);
  rooms.forEach((room, r) => room.members.forEach((i) => (roomOf[i] = r)));
  return { users, rooms, roomOf, fanoutRoom };
}

const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

/** Seeds the whole population; Parley creates its indexes on it when it starts. */
export async function seedDatabase({ uri, dbName, population }) {
  const client = new MongoClient(uri, { appName: "parley-bench" });
  await client.connect();
  try {
    const db = client.db(dbName);
    const createdAt = new Date();
    const rooms = population.rooms.map((room, r) => ({ ...room, r }));
    const users = population.users.map((u, k) => ({
      _id: u.id,
      name: u.name,
      email: `bench-${k}@bench.invalid`,
      // Nobody signs in: the bench connects with minted realtime tokens.
      passwordHash: "bench-no-password",
      createdAt,
      lastSeenAt: null,
      sessionEpoch: 0,
    }));
    const conversations = rooms.map(({ r, ...room }) => ({
      _id: room.id,
      kind: "group",
      key: `group:${randomUUID()}`,
      name: `Bench room ${r}`,
      createdBy: population.users[room.members[0]].id,
      createdAt,
      lastMessage: null,
      lastActivityAt: createdAt,
    }));
    const memberships = rooms.flatMap((room) =>
      room.members.map((i, k) => ({
        _id: membershipId(room.id, population.users[i].id),
        conversationId: room.id,
        userId: population.users[i].id,
        role: k === 0 ? "owner" : "member",
        joinedAt: createdAt,
        lastDeliveredSeq: 0,
        lastReadSeq: 0,
        muted: false,
      })),
    );
    for (const [name, docs] of [["users", users], ["conversations", conversations], ["memberships", memberships]]) {
      for (let i = 0; i < docs.length; i += 1000) await db.collection(name).insertMany(docs.slice(i, i + 1000), { ordered: false });
    }
    return { users: users.length, conversations: conversations.length, memberships: memberships.length };
  } finally {
    await client.close();
  }
}

/** The _id Parley derives for a membership (membershipId in lib/db/memberships.ts). */
export const membershipId = (conversationId, userId) => new ObjectId(createHash("sha256").update(conversationId.id).update(userId.id).digest().subarray(0, 12));

/** The database's own name and version, for the report (SecantusDB and FerretDB say so in buildInfo). */
export async function describeDatabase({ uri, embedded }) {
  const where = embedded ? "embedded" : "MONGODB_URI";
  const client = new MongoClient(uri, { appName: "parley-bench" });
  try {
    await client.connect();
    const info = await client.db("admin").command({ buildInfo: 1 });
    if (info.secantusVersion) return `SecantusDB ${info.secantusVersion} (${where}, WiredTiger; answers as MongoDB ${info.version})`;
    const ferret = info.ferretdbVersion ?? info.ferretdb?.version;
    if (ferret) return `FerretDB ${ferret} (${where}; answers as MongoDB ${info.version})`;
    return `MongoDB ${info.version} (${where})`;
  } catch {
    return embedded ? `SecantusDB ${SECANTUS_VERSION} (embedded)` : "MONGODB_URI";
  } finally {
    await client.close();
  }
}

/** Same audience, issuer and claims as lib/auth/realtime-token.ts. */
export async function mintTokens({ secret, users, ttlSeconds = 900 }) {
  const key = new TextEncoder().encode(secret);
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  return Promise.all(
    users.map((u) =>
      new SignJWT({ name: u.name, epoch: 0 })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(u.id.toHexString())
        .setAudience("parley:realtime")
        .setIssuer("parley:web")
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(key),
    ),
  );
}
