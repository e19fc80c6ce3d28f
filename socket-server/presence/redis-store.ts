// Presence in Redis, shared by every socket server. Each socket is a member "<instance>|<socketId>"
// of its user's set; an instance renews a heartbeat key while it runs, and a member whose instance
// has no heartbeat is not counted (and is pruned), so a crashed instance's users do not stay
// online. Departures within their grace period sit in one sorted set (user → time), which is also
// how another instance finishes a departure the leaving one could not (it stopped or crashed):
// see sweep(). Each step is one Lua script, so two instances never interleave inside one.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { ALIVE_PREFIX as ALIVE, attendingIn, PRESENCE_PREFIX as PREFIX, visibleKey as VISIBLE } from "../../lib/redis/attending";
import type { PresenceStore } from "./store";

const SOCKETS = (userId: string) => `${PREFIX}sockets:${userId}`;
const LEAVING = `${PREFIX}leaving`;
const INSTANCES = `${PREFIX}instances`;
const USERS = (instance: string) => `${PREFIX}users:${instance}`;

const HEARTBEAT_MS = 5_000;
const HEARTBEAT_TTL_MS = 15_000;

// Counts a user's members whose instance is alive, pruning the others. KEYS[1]: the user's set; ARGV[1]: the alive prefix.
const LIVE = `
local function live(key, alive)
  local n = 0
  for _, member in ipairs(redis.call('SMEMBERS', key)) do
    local instance = string.match(member, '^([^|]+)|')
    if instance and redis.call('EXISTS', alive .. instance) == 1 then n = n + 1 else redis.call('SREM', key, member) end
  end
  return n
end
`;

const SCRIPTS = {
  // KEYS: sockets, leaving, instance users, visible. ARGV: alive prefix, member, userId, "1" when its tab is in view.
  presenceAdd: [4, `${LIVE}
local before = live(KEYS[1], ARGV[1])
local wasLeaving = redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3])
if ARGV[4] == '1' then redis.call('SADD', KEYS[4], ARGV[2]) end
if before == 0 and wasLeaving == 0 then return 1 end
return 0`],
  // Only a socket still counted becomes visible. KEYS: sockets, visible. ARGV: member, "1" or "0".
  presenceVisible: [2, `
if ARGV[2] == '1' and redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
return 0`],
  // KEYS: sockets, leaving, visible. ARGV: alive prefix, member, userId, at (ms).
  presenceRemove: [3, `${LIVE}
redis.call('SREM', KEYS[3], ARGV[2])
if redis.call('SREM', KEYS[1], ARGV[2]) == 0 then return 0 end
if live(KEYS[1], ARGV[1]) > 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
return 1`],
  // KEYS: sockets, leaving. ARGV: alive prefix, userId, at (ms).
  presenceSettle: [2, `${LIVE}
local at = redis.call('ZSCORE', KEYS[2], ARGV[2])
if not at or tonumber(at) ~= tonumber(ARGV[3]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[2])
if live(KEYS[1], ARGV[1]) > 0 then return 0 end
return 1`],
  // KEYS: leaving, then each user's set. ARGV: alive prefix, then the user ids.
  presenceOnline: [-1, `${LIVE}
local out = {}
for i = 2, #KEYS do
  local online = live(KEYS[i], ARGV[1]) > 0 or redis.call('ZSCORE', KEYS[1], ARGV[i]) ~= false
  out[i - 1] = online and 1 or 0
end
return out`],
  // A dead instance's user: their members there are pruned; gone everywhere now, they start leaving.
  // KEYS: sockets, leaving, visible. ARGV: alive prefix, userId, at (ms).
  presenceReap: [3, `${LIVE}
live(KEYS[3], ARGV[1])
if live(KEYS[1], ARGV[1]) > 0 or redis.call('ZSCORE', KEYS[2], ARGV[2]) ~= false then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1`],
} as const;

type Scripted = Redis & {
  presenceAdd(...args: string[]): Promise<number>;
  presenceRemove(...args: string[]): Promise<number>;
  presenceVisible(...args: string[]): Promise<number>;
  presenceSettle(...args: string[]): Promise<number>;
  presenceOnline(keyCount: number, ...args: string[]): Promise<number[]>;
  presenceReap(...args: string[]): Promise<number>;
};

export class RedisPresenceStore implements PresenceStore {
  readonly instance = randomBytes(8).toString("hex");
  private readonly redis: Scripted;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(redis: Redis) {
    for (const [name, [numberOfKeys, lua]] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, numberOfKeys >= 0 ? { numberOfKeys, lua } : { lua });
    }
    this.redis = redis as Scripted;
  }

  /** Starts renewing this instance's heartbeat; sockets counted before it would not count as alive. */
  async start(): Promise<void> {
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async beat(): Promise<void> {
    await this.redis.multi().set(ALIVE + this.instance, "1", "PX", HEARTBEAT_TTL_MS).sadd(INSTANCES, this.instance).exec();
  }

  /** Stops the heartbeat and drops it at once: this instance's sockets stop counting now, not at its expiry. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.redis.del(ALIVE + this.instance).catch(() => undefined);
  }

  private member(socketId: string) {
    return `${this.instance}|${socketId}`;
  }

  async add(userId: string, socketId: string, visible = false): Promise<boolean> {
    const member = this.member(socketId);
    return (await this.redis.presenceAdd(SOCKETS(userId), LEAVING, USERS(this.instance), VISIBLE(userId), ALIVE, member, userId, visible ? "1" : "0")) === 1;
  }

  async remove(userId: string, socketId: string, at: Date): Promise<boolean> {
    return (await this.redis.presenceRemove(SOCKETS(userId), LEAVING, VISIBLE(userId), ALIVE, this.member(socketId), userId, String(at.getTime()))) === 1;
  }

  async setVisible(userId: string, socketId: string, visible: boolean): Promise<void> {
    await this.redis.presenceVisible(SOCKETS(userId), VISIBLE(userId), this.member(socketId), visible ? "1" : "0");
  }

  attending(userIds: readonly string[]): Promise<Set<string>> {
    return attendingIn(this.redis, userIds);
  }

  async settle(userId: string, at: Date): Promise<boolean> {
    return (await this.redis.presenceSettle(SOCKETS(userId), LEAVING, ALIVE, userId, String(at.getTime()))) === 1;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const flags = await this.redis.presenceOnline(userIds.length + 1, LEAVING, ...userIds.map(SOCKETS), ALIVE, ...userIds);
    return new Set(userIds.filter((_, i) => flags[i] === 1));
  }

  /**
   * Departures whose instance did not finish them: the users of instances that stopped beating
   * start leaving now, and departures older than `olderThanMs` are settled here. Returns the users
   * to announce offline, with the time they left. Safe on every instance at once: each step is
   * atomic, and a departure settles once.
   */
  async sweep(olderThanMs: number): Promise<{ userId: string; at: Date }[]> {
    const now = Date.now();
    for (const instance of await this.redis.smembers(INSTANCES)) {
      if (instance === this.instance || (await this.redis.exists(ALIVE + instance)) === 1) continue;
      // One instance reaps each dead one.
      if ((await this.redis.set(`${PREFIX}reaping:${instance}`, this.instance, "PX", 60_000, "NX")) !== "OK") continue;
      for (const userId of await this.redis.smembers(USERS(instance))) {
        await this.redis.presenceReap(SOCKETS(userId), LEAVING, VISIBLE(userId), ALIVE, userId, String(now));
      }
      await this.redis.multi().del(USERS(instance)).srem(INSTANCES, instance).exec();
    }
    const stale = await this.redis.zrangebyscore(LEAVING, "-inf", now - olderThanMs, "WITHSCORES");
    const settled: { userId: string; at: Date }[] = [];
    for (let i = 0; i < stale.length; i += 2) {
      const at = new Date(Number(stale[i + 1]));
      if (await this.settle(stale[i]!, at)) settled.push({ userId: stale[i]!, at });
    }
    return settled;
  }
}
