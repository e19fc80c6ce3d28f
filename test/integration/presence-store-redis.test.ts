// The Redis presence store against the same contract as the in-memory one, plus what only a
// shared store has: two instances counting one user, and the sweep that finishes the departures
// of an instance that stopped beating.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { RedisPresenceStore } from "../../socket-server/presence/redis-store";
import { checkAttending, checkPresenceStore } from "../support/presence-store-contract";
import { redisMissing, startRedis, type TestRedis } from "../support/redis";

const userId = () => randomBytes(12).toString("hex");

describe("RedisPresenceStore", { skip: redisMissing() ?? false }, () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const instance = async () => {
    const client = new Redis(redis.url);
    clients.push(client);
    const store = new RedisPresenceStore(client);
    await store.start();
    return store;
  };

  before(async () => {
    redis = await startRedis();
  });

  after(async () => {
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });

  it("keeps the PresenceStore contract", async () => {
    const store = await instance();
    await checkPresenceStore(store, [userId(), userId()]);
    await store.close();
  });

  it("knows who attends, on any instance, and not through a dead one", async () => {
    const [one, two] = [await instance(), await instance()];
    await checkAttending(one, [userId(), userId(), userId()]);
    const dana = userId();
    await one.add(dana, "d1", true);
    assert.deepEqual([...(await two.attending([dana]))], [dana], "another instance sees the visible socket");
    await one.close();
    assert.deepEqual([...(await two.attending([dana]))], [], "an instance that stopped beating attends for no one");
    await two.close();
  });

  it("counts one user's sockets on two instances as one presence", async () => {
    const [one, two] = [await instance(), await instance()];
    const ana = userId();
    assert.equal(await one.add(ana, "a"), true);
    assert.equal(await two.add(ana, "b"), false, "already online through the other instance");
    assert.equal(await one.remove(ana, "a", new Date()), false, "still connected through the other instance");
    assert.deepEqual([...(await one.online([ana]))], [ana]);
    const at = new Date();
    assert.equal(await two.remove(ana, "b", at), true);
    assert.equal(await one.settle(ana, at), true, "any instance can settle a departure, once");
    assert.equal(await two.settle(ana, at), false);
    await Promise.all([one.close(), two.close()]);
  });

  it("finishes the departures of an instance that stopped beating, once", async () => {
    const [dead, alive, other] = [await instance(), await instance(), await instance()];
    const [gone, moved] = [userId(), userId()];
    await dead.add(gone, "g1");
    await dead.add(moved, "m1");
    await alive.add(moved, "m2");
    // Stops the heartbeat without a word, as a crash would (close() here just deletes the key sooner than its expiry).
    await dead.close();
    assert.deepEqual([...(await alive.online([gone, moved]))].sort(), [moved], "a dead instance's sockets do not count");
    const [first, second] = await Promise.all([alive.sweep(0), other.sweep(0)]);
    // (Users the earlier tests left connected on the instances they closed are settled too.)
    const settled = [...first, ...second].filter((s) => s.userId === gone || s.userId === moved);
    assert.deepEqual(settled.map((s) => s.userId), [gone], "the user with no live socket left is announced once; the one who moved is not");
    assert.equal(await alive.add(gone, "g2"), true, "and comes back as a new arrival");
    await Promise.all([alive.close(), other.close()]);
  });
});
