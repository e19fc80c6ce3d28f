// The coalescer that shares connection set-ups' database reads (socket-server/middleware/coalescer.ts),
// and the presence caches built on the same idea (socket-server/presence/members.ts, last-seen.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AppError } from "../../lib/errors";
import { Coalescer } from "../../socket-server/middleware/coalescer";
import type { Namespace } from "socket.io";
import { Adapter } from "socket.io-adapter";
import { conversationRoom, userRoom } from "../../lib/realtime/rooms";
import { watchRemovals } from "../../socket-server/membership-changes";
import { KeptReads } from "../../socket-server/presence/kept-reads";
import { LastSeenTimes } from "../../socket-server/presence/last-seen";
import { ConversationMembers } from "../../socket-server/presence/members";
import { RoomNames } from "../../socket-server/room-names";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A read that records its batches and answers after `ms`. */
function recordingRead(ms: number) {
  const batches: number[][] = [];
  let running = 0;
  let peak = 0;
  const read = async (items: number[]) => {
    batches.push(items);
    running += 1;
    peak = Math.max(peak, running);
    await sleep(ms);
    running -= 1;
    return items.map((item) => item * 10);
  };
  return { read, batches, peak: () => peak };
}

describe("Coalescer", () => {
  it("answers a lone request at once, in a batch of its own", async () => {
    const { read, batches } = recordingRead(1);
    const coalescer = new Coalescer(read, { maxBatch: 40, inFlight: 2, maxWaitMs: 5_000 });
    assert.equal(await coalescer.load(7), 70);
    assert.deepEqual(batches, [[7]]);
  });

  it("sends what arrives while batches run as the next batch, at most `inFlight` at once and `maxBatch` each, every caller getting its own answer", async () => {
    const { read, batches, peak } = recordingRead(20);
    const coalescer = new Coalescer(read, { maxBatch: 10, inFlight: 2, maxWaitMs: 5_000 });
    const answers = await Promise.all(Array.from({ length: 45 }, (_, i) => coalescer.load(i)));
    assert.deepEqual(answers, Array.from({ length: 45 }, (_, i) => i * 10));
    assert.equal(peak(), 2);
    // The calls of one tick leave together: 45 requests, 5 queries, none over 10.
    assert.deepEqual(batches.map((batch) => batch.length), [10, 10, 10, 10, 5]);
    assert.deepEqual(batches.flat(), Array.from({ length: 45 }, (_, i) => i), "first come, first served");
    assert.equal(coalescer.queued, 0);
  });

  it("under load, sends a batch that is not full no sooner than `gapMs` after the last one started, a full one at once, and a lone one after a quiet spell at once", async () => {
    const starts: { items: number[]; at: number }[] = [];
    const read = async (items: number[]) => {
      starts.push({ items, at: performance.now() });
      await sleep(1);
      return items.map((item) => item * 10);
    };
    const coalescer = new Coalescer(read, { maxBatch: 5, inFlight: 2, maxWaitMs: 5_000, gapMs: 40 });
    const t0 = performance.now();
    assert.equal(await coalescer.load(1), 10);
    const second = coalescer.load(2);
    await sleep(8);
    const third = coalescer.load(3);
    assert.deepEqual(await Promise.all([second, third]), [20, 30]);
    // Ten at once right after that batch started: two full batches, without waiting for the gap.
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => coalescer.load(4 + i)));
    assert.deepEqual(burst, Array.from({ length: 10 }, (_, i) => (4 + i) * 10));
    await sleep(60);
    const quiet = performance.now();
    assert.equal(await coalescer.load(99), 990);
    const at = (k: number) => starts[k]!.at - t0;
    assert.deepEqual(starts.map((s) => s.items), [[1], [2, 3], [4, 5, 6, 7, 8], [9, 10, 11, 12, 13], [99]]);
    assert.ok(at(1) >= 38, `the second batch waited for the gap (started at ${at(1).toFixed(1)} ms)`);
    assert.ok(at(3) - at(1) < 20, `full batches did not wait (${(at(3) - at(1)).toFixed(1)} ms)`);
    assert.ok(starts[4]!.at - quiet < 15, "a lone request after a quiet spell goes at once");
  });

  it("fails every caller of a failed batch with its error, and goes on with the next", async () => {
    let fail = true;
    const coalescer = new Coalescer(
      async (items: number[]) => {
        if (fail) throw new Error("lookup failed");
        return items;
      },
      { maxBatch: 10, inFlight: 1, maxWaitMs: 5_000 },
    );
    const failed = await Promise.allSettled([coalescer.load(1), coalescer.load(2)]);
    assert.deepEqual(failed.map((result) => result.status), ["rejected", "rejected"]);
    fail = false;
    assert.equal(await coalescer.load(3), 3);
  });

  it("refuses a read that answers with the wrong number of results rather than mismatching them", async () => {
    const coalescer = new Coalescer(async (items: number[]) => items.slice(1), { maxBatch: 10, inFlight: 1, maxWaitMs: 5_000 });
    await assert.rejects(Promise.all([coalescer.load(1), coalescer.load(2)]), /a batch of 2 got 1 answers/);
  });

  it("refuses with a retryable UNAVAILABLE a request that waited too long for its turn, and forgets it", async () => {
    const { read, batches } = recordingRead(100);
    const coalescer = new Coalescer(read, { maxBatch: 10, inFlight: 1, maxWaitMs: 30 });
    const first = coalescer.load(1);
    await sleep(0);
    await assert.rejects(coalescer.load(2), (error) => error instanceof AppError && error.code === "UNAVAILABLE");
    assert.equal(coalescer.queued, 0);
    assert.equal(await first, 10);
    assert.equal(await coalescer.load(3), 30);
    assert.deepEqual(batches, [[1], [3]], "the refused request was never read");
  });
});

describe("ConversationMembers", () => {
  const fakeRead = () => {
    const asked: string[][] = [];
    const members = new Map([
      ["c1", ["a", "b"]],
      ["c2", ["a", "c"]],
    ]);
    return {
      asked,
      members,
      read: async ({ conversationIds }: { conversationIds: string[] }) => {
        asked.push([...conversationIds]);
        return new Map(conversationIds.map((id) => [id, [...(members.get(id) ?? [])]]));
      },
    };
  };

  it("reads each conversation once, then answers from memory until it expires", async () => {
    let clock = 0;
    const { read, asked } = fakeRead();
    const cache = new ConversationMembers({ read, ttlMs: 1_000, now: () => clock });
    assert.deepEqual(Object.fromEntries(await cache.of(["c1", "c2", "c1"])), { c1: ["a", "b"], c2: ["a", "c"] });
    assert.deepEqual(Object.fromEntries(await cache.of(["c2"])), { c2: ["a", "c"] });
    assert.deepEqual(asked, [["c1", "c2"]]);
    clock = 1_000;
    await cache.of(["c2"]);
    assert.deepEqual(asked, [["c1", "c2"], ["c2"]]);
    cache.close();
  });

  it("drops a conversation when its membership changes, and does not keep a read that a change overtook", async () => {
    const { read, asked, members } = fakeRead();
    const cache = new ConversationMembers({ read });
    await cache.of(["c1"]);
    members.set("c1", ["a"]);
    cache.forget(["c1"]);
    assert.deepEqual((await cache.of(["c1"])).get("c1"), ["a"]);
    assert.equal(asked.length, 2);

    // A change lands while a read is under way: the read answers its caller, and is not kept.
    const slowCache = new ConversationMembers({
      read: async (args) => {
        const answer = await read(args);
        slowCache.forget(["c2"]);
        return answer;
      },
    });
    await slowCache.of(["c2"]);
    assert.equal(slowCache.size, 0);
    cache.close();
    slowCache.close();
  });

  it("keeps at most `maxEntries`, the oldest going first", async () => {
    const { read } = fakeRead();
    const cache = new ConversationMembers({ read, maxEntries: 2 });
    await cache.of(["x1"]);
    await cache.of(["x2"]);
    await cache.of(["x3"]);
    assert.equal(cache.size, 2);
    cache.close();
  });

  it("forgets the conversations whose rooms a membership change joins or leaves, as the adapter applies it (membership-changes.ts)", async () => {
    const { read, asked } = fakeRead();
    const cache = new ConversationMembers({ read });
    const adapter = new Adapter({ sockets: new Map(), server: { encoder: { encode: () => [] } } } as unknown as Namespace);
    watchRemovals(adapter);
    await cache.of(["c1", "c2"]);
    // A member added (the web app's socketsJoin), then one removed (socketsLeave): each drops its conversation only.
    adapter.addSockets({ rooms: new Set([userRoom("u9")]), except: new Set() }, [conversationRoom("c1"), userRoom("u9")]);
    assert.equal(cache.size, 1);
    await cache.of(["c1", "c2"]);
    assert.deepEqual(asked, [["c1", "c2"], ["c1"]]);
    adapter.delSockets({ rooms: new Set([userRoom("u9")]), except: new Set() }, [conversationRoom("c2")]);
    await cache.of(["c1", "c2"]);
    assert.deepEqual(asked.at(-1), ["c2"]);
    cache.close();
  });
});

describe("KeptReads", () => {
  it("does not keep a key that changed while it was read, and keeps the read's other keys", async () => {
    let during: (() => void) | null = null;
    const reads: string[][] = [];
    const kept = new KeptReads(
      async (keys) => {
        reads.push(keys);
        during?.();
        return new Map(keys.map((key) => [key, key.toUpperCase()]));
      },
      { ttlMs: 60_000, maxEntries: 10 },
    );
    during = () => kept.forget(["b"]);
    assert.deepEqual(Object.fromEntries(await kept.of(["a", "b"])), { a: "A", b: "B" }, "the caller gets its answer");
    assert.deepEqual([kept.peek("a"), kept.peek("b")], ["A", undefined], "b changed while it was read: only a is kept");
    during = () => kept.replace("c", "newer");
    await kept.of(["b", "c"]);
    assert.equal(kept.peek("c"), "newer", "a replaced value is not overwritten by a read that started before it");
    assert.equal(kept.peek("b"), "B", "a change of another key does not matter");
    during = () => kept.clear();
    await kept.of(["d"]);
    assert.equal(kept.size, 0, "cleared while reading: nothing kept");
    during = null;
    await kept.of(["a", "b", "c"]);
    await kept.of(["a", "b", "c"]);
    assert.deepEqual(reads, [["a", "b"], ["b", "c"], ["d"], ["a", "b", "c"]], "each key read again only after it changed");
  });
});

describe("LastSeenTimes", () => {
  it("reads each user once within its lifetime; a time stored here replaces it, never with an earlier one; online users lose theirs", async () => {
    let clock = 0;
    const asked: string[][] = [];
    const stored = new Map<string, string | null>([
      ["a", "2026-01-01T00:00:00.000Z"],
      ["b", null],
    ]);
    const cache = new LastSeenTimes({
      ttlMs: 1_000,
      now: () => clock,
      read: async ({ userIds }) => {
        asked.push([...userIds]);
        return userIds.filter((id) => stored.has(id)).map((userId) => ({ userId, lastSeenAt: stored.get(userId)! }));
      },
    });
    assert.deepEqual(Object.fromEntries(await cache.of(["a", "b", "gone"])), { a: "2026-01-01T00:00:00.000Z", b: null });
    await cache.of(["a", "b"]);
    assert.equal(asked.length, 1);

    cache.stored("a", new Date("2026-02-01T00:00:00.000Z"));
    cache.stored("a", new Date("2025-12-01T00:00:00.000Z"));
    assert.equal((await cache.of(["a"])).get("a"), "2026-02-01T00:00:00.000Z");
    assert.equal(asked.length, 1);

    cache.forget(["b"]);
    await cache.of(["b"]);
    assert.deepEqual(asked.at(-1), ["b"]);
    clock = 1_000;
    await cache.of(["a"]);
    assert.deepEqual(asked.at(-1), ["a"]);
  });
});

describe("RoomNames", () => {
  // Which string object a socket keeps cannot be seen from JavaScript (the heap snapshot in the
  // commit showed it); this checks that names live exactly as long as their rooms.
  it("keeps a room's name while the room exists, and forgets it when the room is deleted", () => {
    const adapter = new Adapter({ sockets: new Map(), server: { encoder: { encode: () => [] } } } as unknown as Namespace);
    const names = new RoomNames(adapter);
    const id = "65f000000000000000000001";
    const first = names.intern(conversationRoom(id));
    adapter.addAll("s1", new Set([first]));
    const second = names.intern(conversationRoom(id));
    adapter.addAll("s2", new Set([second]));
    assert.equal(names.size, 1);
    adapter.delAll("s1");
    assert.equal(names.size, 1, "kept while a socket is still in the room");
    adapter.delAll("s2");
    assert.equal(names.size, 0, "forgotten with the room");
  });
});
