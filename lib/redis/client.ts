// One Redis connection per process, when REDIS_URL is set (lib/env.js). Used by the socket
// servers' adapter, presence and rate limits, and by the web app's announcements and rate limits.
import { Redis } from "ioredis";
import { getServerEnv } from "../env";

// On globalThis: a Next.js production build can give each route its own copy of a lib/ module,
// and one process should hold one connection.
const CLIENT = Symbol.for("parley.redis");
const holder = globalThis as { [CLIENT]?: Redis };

/** Whether this deployment runs with Redis (several socket servers). */
export function redisConfigured(): boolean {
  return getServerEnv().REDIS_URL !== undefined;
}

/**
 * The process's Redis client, or null without REDIS_URL. A command fails after a couple of
 * reconnection attempts instead of queueing forever, so callers can fall back (rate limits count
 * in memory, announcements are repaired by sync) while Redis is away.
 */
export function getRedis(): Redis | null {
  const url = getServerEnv().REDIS_URL;
  if (url === undefined) return null;
  if (!holder[CLIENT]) {
    const client = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 2_000, retryStrategy: (attempt) => Math.min(attempt * 200, 2_000) });
    let reported = false;
    client.on("error", (error: Error) => {
      // ioredis reconnects by itself; one line per outage is enough.
      if (!reported) console.warn(`[redis] ${error.message}`);
      reported = true;
    });
    client.on("ready", () => {
      reported = false;
    });
    holder[CLIENT] = client;
  }
  return holder[CLIENT];
}

export async function closeRedis(): Promise<void> {
  const client = holder[CLIENT];
  delete holder[CLIENT];
  await client?.quit().catch(() => client.disconnect());
}
