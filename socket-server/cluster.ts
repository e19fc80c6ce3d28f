// Several socket servers over Redis (REDIS_URL): the Redis Streams adapter shares rooms,
// broadcasts and connection state recovery between them (the classic Redis adapter does not
// recover connections); presence lives in Redis (presence/redis-store.ts); rate limits too
// (lib/security/rate-limit). Without Redis none of this runs and one instance keeps it in memory.
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import { PRESENCE_MEMBERS_EVENT, STREAM_MAX_LEN, STREAM_NAME } from "../lib/fanout/stream-emitter";
import { RedisPresenceStore } from "./presence/redis-store";
import type { PresenceTracker } from "./presence/tracker";
import type { ParleyServer } from "./types";

const SWEEP_EVERY_MS = 2_000;
/** How long past its grace period a departure waits for its own instance before another settles it. */
const SWEEP_MARGIN_MS = 5_000;

export function redisAdapter(redis: Redis) {
  return createAdapter(redis, { streamName: STREAM_NAME, maxLen: STREAM_MAX_LEN });
}

export class Cluster {
  readonly store: RedisPresenceStore;
  private sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly redis: Redis) {
    this.store = new RedisPresenceStore(redis);
  }

  /** Before the server accepts connections: the heartbeat that makes this instance's sockets count. */
  async start(io: ParleyServer, presence: PresenceTracker, graceMs: number): Promise<void> {
    // The web app's emitter asks every instance; each tells its own sockets.
    io.on(PRESENCE_MEMBERS_EVENT, (conversationId, memberIds) => void presence.announceMembers(conversationId, memberIds, { local: true }));
    await this.store.start();
    this.sweeper = setInterval(() => void this.sweep(presence, graceMs), SWEEP_EVERY_MS);
    this.sweeper.unref();
    // Back after an outage: Redis may have lost what it held (a restart without persistence), so
    // this instance counts its sockets again. Idempotent when nothing was lost.
    this.redis.on("ready", () => void this.recount(io));
  }

  private async recount(io: ParleyServer): Promise<void> {
    try {
      await this.store.beat();
      for (const socket of io.of("/").sockets.values()) await this.store.add(socket.data.userId, socket.id, socket.data.visible);
    } catch (error) {
      console.warn(`[socket] presence recount failed: ${(error as Error).message}`);
    }
  }

  private async sweep(presence: PresenceTracker, graceMs: number): Promise<void> {
    try {
      for (const { userId, at } of await this.store.sweep(graceMs + SWEEP_MARGIN_MS)) presence.announceGone(userId, at);
    } catch (error) {
      console.warn(`[socket] presence sweep failed: ${(error as Error).message}`);
    }
  }

  redisUp(): boolean {
    return this.redis.status === "ready";
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.store.close();
  }
}
