// The rate-limit policies over the real memory store (rate-limiter-flexible), and the client-IP rule.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServerEnv } from "../../lib/env";
import { clientIp } from "../../lib/security/client-ip";
import { policiesFrom } from "../../lib/security/rate-limit/policies";
import { createMemoryStore } from "../../lib/security/rate-limit/store";

const env = (overrides: Partial<ServerEnv> = {}) =>
  ({
    RATE_LIMIT_MESSAGES_PER_SECOND: 10,
    RATE_LIMIT_MESSAGES_BURST: 20,
    RATE_LIMIT_REQUESTS: { points: 50, seconds: 10 },
    RATE_LIMIT_CALLS: { points: 4, seconds: 60 },
    RATE_LIMIT_UPLOADS: { points: 6, seconds: 60 },
    RATE_LIMIT_SEARCHES: { points: 6, seconds: 60 },
    RATE_LIMIT_SIGN_IN_PER_EMAIL: { points: 3, seconds: 60 },
    RATE_LIMIT_SIGN_IN_PER_IP: { points: 5, seconds: 60 },
    RATE_LIMIT_SIGN_UP_PER_IP: { points: 2, seconds: 60 },
    ...overrides,
  }) as ServerEnv;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("rate-limit policies", () => {
  it("lets a burst through at once, then refuses with the wait until the window ends", async () => {
    const store = createMemoryStore(policiesFrom(env()));
    const decisions = await Promise.all(Array.from({ length: 100 }, () => store.consume("messages", "u1")));
    const allowed = decisions.filter((d) => d.allowed).length;
    assert.equal(allowed, 20);
    for (const refused of decisions.filter((d) => !d.allowed)) {
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 2_000, `retryAfterMs ${refused.retryAfterMs}`);
    }
    // Another user's budget is untouched.
    assert.equal((await store.consume("messages", "u2")).allowed, true);
  });

  it("refills after burst ÷ rate seconds: never more than burst + rate × elapsed", async () => {
    // 4 per 0.2 s (20/s, burst 4), so the test is quick.
    const store = createMemoryStore(policiesFrom(env({ RATE_LIMIT_MESSAGES_PER_SECOND: 20, RATE_LIMIT_MESSAGES_BURST: 4 })));
    const started = Date.now();
    let allowed = 0;
    while (Date.now() - started < 500) {
      if ((await store.consume("messages", "u")).allowed) allowed += 1;
      await sleep(2);
    }
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(allowed <= 4 + 20 * elapsed, `${allowed} in ${elapsed} s`);
    assert.ok(allowed >= 8, `the window refilled at least once (${allowed})`);
  });

  it("refund and reset give budget back", async () => {
    const store = createMemoryStore(policiesFrom(env()));
    for (let i = 0; i < 3; i += 1) await store.consume("signInEmail", "a@x.test");
    assert.equal((await store.consume("signInEmail", "a@x.test")).allowed, false);
    await store.reset("signInEmail", "a@x.test");
    assert.equal((await store.consume("signInEmail", "a@x.test")).allowed, true);
    for (let i = 0; i < 5; i += 1) await store.consume("signInIp", "1.2.3.4");
    await store.refund("signInIp", "1.2.3.4", 2);
    assert.equal((await store.consume("signInIp", "1.2.3.4")).allowed, true);
  });
});

describe("clientIp", () => {
  const xff = (value: string) => new Headers({ "x-forwarded-for": value });

  it("takes the entry TRUST_PROXY places from the right (the right-most with no proxy)", () => {
    assert.equal(clientIp(xff("10.0.0.1"), 0), "10.0.0.1");
    assert.equal(clientIp(xff("6.6.6.6, 10.0.0.1"), 1), "10.0.0.1");
    assert.equal(clientIp(xff("6.6.6.6, 10.0.0.1, 172.16.0.2"), 2), "10.0.0.1");
    assert.equal(clientIp(xff("10.0.0.1"), 3), "10.0.0.1", "fewer entries than proxies: the left-most");
    assert.equal(clientIp({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" }, 0), "2.2.2.2", "next-auth's plain header object");
  });

  it("normalizes addresses; non-addresses share one bucket; IPv6 counts per /64", () => {
    assert.equal(clientIp(xff("::ffff:127.0.0.1"), 0), "127.0.0.1");
    assert.equal(clientIp(xff("2001:db8:1:2:aaaa::1"), 0), "2001:db8:1:2::/64");
    assert.equal(clientIp(xff("[2001:db8:1:2:bbbb::9]"), 0), "2001:db8:1:2::/64");
    assert.equal(clientIp(xff("::1"), 0), "0:0:0:0::/64");
    assert.equal(clientIp(xff("not-an-ip"), 0), "unknown");
    assert.equal(clientIp(new Headers(), 0), "unknown");
  });
});
