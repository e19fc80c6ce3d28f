import { createServer, type Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { listConversationIds } from "../lib/chat";
import { pingDb } from "../lib/db/client";
import type { ServerEnv } from "../lib/env";
import { INTERNAL_EVENTS_PATH } from "../lib/fanout/internal-events";
import type { Broadcaster } from "../lib/fanout/fanout";
import { EVERYONE_ROOM, RECEIPTS_OFF_ROOM, RECEIPTS_ON_ROOM, TOKEN_SOCKETS_ROOM, tokenRoom } from "../lib/realtime/rooms";
import { notifyAbsent, type PushEvent } from "../lib/push/notify";
import { getRedis } from "../lib/redis/client";
import { Cluster, redisAdapter } from "./cluster";
import { CallLeases } from "./call-leases";
import { startFileSweep } from "./file-sweep";
import { startSearchSweep } from "./search-sweep";
import { callRoutes, callSweepOutcomes } from "./handlers/calls";
import { messageChangeRoutes } from "./handlers/message-changes";
import { messageRoutes } from "./handlers/messages";
import { receiptRoutes } from "./handlers/receipts";
import { roomRoutes } from "./handlers/rooms";
import { createRouter } from "./handlers/router";
import { createTyping } from "./handlers/typing";
import { visibilityRoutes, visibleAtHandshake } from "./handlers/visibility";
import { handleInternalEvent } from "./internal-events";
import { handleRateLimitRequest, RATE_LIMIT_PATH } from "./internal-rate-limit";
import { authenticateSocket, clearExpiry, closeAtExpiry } from "./middleware/auth";
import { removedSince, watchRemovals } from "./membership-changes";
import { RoomNames } from "./room-names";
import { loadMemberships, takeMemberships } from "./middleware/memberships";
import { guardOrigins } from "./middleware/origin";
import { createSetupReads } from "./middleware/setup-reads";
import { MemoryPresenceStore } from "./presence/store";
import { PresenceTracker } from "./presence/tracker";
import { holdReplayUntilAuthenticated, keepPresenceOutOfRecovery, replayMissedPackets } from "./recovery";
import type { ParleyServer, ParleySocket } from "./types";
import { conversationRoom, userRoom } from "./types";

// Below the 1 MB default: a message is at most 4,000 characters, so anything near this is abuse.
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

export type SocketServer = {
  io: ParleyServer;
  http: HttpServer;
  presence: PresenceTracker;
  /** Set with REDIS_URL: start it before listening, close it after the sockets. */
  cluster: Cluster | null;
};

export function createSocketServer(env: ServerEnv): SocketServer {
  const redis = getRedis();
  const cluster = redis ? new Cluster(redis) : null;
  const http = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/health") {
      void pingDb().then((database) => {
        const status = database ? "ok" : "degraded";
        // Without Redis this instance still serves its own sockets: reported, not a failure.
        const shared = cluster ? { redis: cluster.redisUp() ? "up" : "down" } : {};
        res.writeHead(database ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ status, database: database ? "up" : "down", ...shared, connections: io.engine.clientsCount }));
      });
      return;
    }
    if (req.method === "POST" && path === INTERNAL_EVENTS_PATH) {
      void handleInternalEvent(broadcaster, notify, env.INTERNAL_EVENTS_SECRET, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    if (req.method === "POST" && path === RATE_LIMIT_PATH) return void handleRateLimitRequest(env.INTERNAL_EVENTS_SECRET, req, res);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
  });

  const io: ParleyServer = new Server(http, {
    cors: { origin: env.ALLOWED_ORIGINS, credentials: false },
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    // Per-message deflate costs CPU and memory per socket for small chat frames.
    perMessageDeflate: false,
    httpCompression: false,
    // A client back within two minutes gets the broadcasts it missed, its id and its rooms.
    // skipMiddlewares: false re-runs authentication, so an expired or revoked token ends it there.
    // Clients still sync when `socket.recovered` is false (too long away, or nothing received yet).
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    ...(redis ? { adapter: redisAdapter(redis) } : {}),
  });
  // Before anything else: which pages may connect (and each connection's request is let go).
  const originCheck = guardOrigins(io, env.ALLOWED_ORIGINS);

  const store = cluster?.store ?? new MemoryPresenceStore();
  const presence = new PresenceTracker(io, {
    store,
    graceMs: env.PRESENCE_OFFLINE_GRACE_MS,
  });
  // Pushes to those with no tab in view, decided here for every write this process fans out (lib/push/notify.ts).
  const notify = (event: PushEvent) => notifyAbsent(event, { attending: (userIds) => store.attending(userIds) });
  const broadcaster: Broadcaster = { to: (rooms) => io.to(rooms), announceMembers: (id, members) => void presence.announceMembers(id, members) };
  watchRemovals(io.of("/").adapter);
  const roomNames = new RoomNames(io.of("/").adapter);

  holdReplayUntilAuthenticated(io);
  keepPresenceOutOfRecovery(io);
  // Connections set up at the same moment share their database reads (setup-reads.ts).
  const reads = createSetupReads();
  io.use(originCheck);
  io.use((socket, next) => void authenticateSocket(socket, next, reads));
  io.use((socket, next) => void loadMemberships(socket, next, reads));

  // One listener of each kind for every connection, each given the socket as `this` (router.ts).
  const typing = createTyping(io);
  const calls = new CallLeases({
    graceMs: env.CALL_GRACE_SECONDS * 1000,
    // A socket id is also a room, known to every instance through the adapter.
    connected: async (socketId) => (await io.in(socketId).fetchSockets()).length > 0,
    ...callSweepOutcomes(io),
  });
  calls.start();
  startFileSweep();
  // With the index off this process writes none of it, the sweep included (lib/env.js SEARCH_INDEX).
  if (env.SEARCH_INDEX === "on") startSearchSweep();
  const route = createRouter(messageRoutes(io, notify), receiptRoutes(broadcaster), messageChangeRoutes(broadcaster), typing.routes, callRoutes(io, calls, notify), roomRoutes(broadcaster), visibilityRoutes(presence));
  function disconnecting(this: ParleySocket): void {
    clearExpiry(this);
    typing.stopTyping(this);
    presence.untrack(this);
    void calls.disconnected(this);
  }
  function closeOnError(this: ParleySocket): void {
    this.disconnect(true);
  }

  io.on("connection", (socket) => {
    const { userId } = socket.data;
    const { conversationIds, mark, readReceipts } = takeMemberships(socket);
    // Before anything else can be emitted to it, so the missed broadcasts keep their order.
    replayMissedPackets(socket, conversationIds);
    // A recovered socket is a new Socket object with its old rooms: listeners are always attached anew.
    socket.onAny(route);
    socket.on("disconnecting", disconnecting);
    socket.on("error", closeOnError);
    closeAtExpiry(socket);
    // Rooms come from the membership lookup the middleware made; clients never name a room.
    socket.join(userRoom(userId));
    followCredential(socket);
    // The room directory's live updates reach every socket with one broadcast.
    socket.join(EVERYONE_ROOM);
    // A recovered socket comes back with its old rooms: the setting may have changed meanwhile.
    socket.leave(readReceipts ? RECEIPTS_OFF_ROOM : RECEIPTS_ON_ROOM);
    socket.join(readReceipts ? RECEIPTS_ON_ROOM : RECEIPTS_OFF_ROOM);
    followMemberships(socket, conversationIds.map((id) => roomNames.intern(conversationRoom(id))), [...socket.rooms]);
    socket.data.visible = visibleAtHandshake(socket);
    presence.track(socket, conversationIds);
    // A member removed while this socket was being set up: look again (see membership-changes.ts).
    if (removedSince(mark)) void recheckMemberships(socket);
  });

  return { io, http, presence, cluster };
}

/**
 * A socket opened with a personal access token is in that token's room (revoking it closes the
 * socket) and in TOKEN_SOCKETS_ROOM (a sign-out leaves it open). A recovered socket may come back
 * with another credential than it had: it leaves what no longer applies.
 */
function followCredential(socket: ParleySocket): void {
  const { tokenId } = socket.data;
  for (const room of socket.rooms) {
    if (room.startsWith(tokenRoom("")) && room !== (tokenId && tokenRoom(tokenId))) socket.leave(room);
  }
  if (tokenId === undefined) {
    socket.leave(TOKEN_SOCKETS_ROOM);
    return;
  }
  socket.join([tokenRoom(tokenId), TOKEN_SOCKETS_ROOM]);
}

/**
 * Joins the rooms of the user's conversations. A recovered socket also comes back with the
 * rooms it had when it dropped, and memberships may have changed while it was away: those
 * that are no longer backed by a membership are left.
 */
function followMemberships(socket: ParleySocket, rooms: string[], restored: string[]): void {
  const current = new Set(rooms);
  leaveUnbacked(socket, current, restored);
  socket.join([...current]);
}

function leaveUnbacked(socket: ParleySocket, current: Set<string>, rooms: string[]): void {
  for (const room of rooms) {
    if (room.startsWith(conversationRoom("")) && !current.has(room)) socket.leave(room);
  }
}

async function recheckMemberships(socket: ParleySocket): Promise<void> {
  try {
    const current = new Set((await listConversationIds({ userId: socket.data.userId })).map(conversationRoom));
    leaveUnbacked(socket, current, [...socket.rooms]);
  } catch {
    // The database is not answering: closing is the only way to be sure no room outlives its membership.
    socket.disconnect(true);
  }
}
