// Who is "attending" Parley: has at least one connected tab in view, on any socket server. The
// socket servers keep it in Redis beside presence (socket-server/presence/redis-store.ts writes
// it); this module holds the key layout and the read, so the web app can ask too when it is the
// one deciding about a push (lib/fanout/announce.ts with Redis). Each visible socket is a member
// "<instance>|<socketId>" of its user's set, counted only while its instance's heartbeat lives,
// as presence counts sockets.
import type { Redis } from "ioredis";

export const PRESENCE_PREFIX = "parley:presence:";
export const ALIVE_PREFIX = `${PRESENCE_PREFIX}alive:`;
export const visibleKey = (userId: string) => `${PRESENCE_PREFIX}visible:${userId}`;

// KEYS: each user's visible set. ARGV[1]: the alive prefix. 1 for a user with a visible socket on a live instance.
const ATTENDING = `
local out = {}
for i = 1, #KEYS do
  out[i] = 0
  for _, member in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    local instance = string.match(member, '^([^|]+)|')
    if instance and redis.call('EXISTS', ARGV[1] .. instance) == 1 then
      out[i] = 1
      break
    end
  end
end
return out`;

type Scripted = Redis & { presenceAttending(keyCount: number, ...args: string[]): Promise<number[]> };

/** Which of these users have a tab in view right now, anywhere. */
export async function attendingIn(redis: Redis, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  if (!("presenceAttending" in redis)) redis.defineCommand("presenceAttending", { lua: ATTENDING });
  const flags = await (redis as Scripted).presenceAttending(userIds.length, ...userIds.map(visibleKey), ALIVE_PREFIX);
  return new Set(userIds.filter((_, i) => flags[i] === 1));
}
