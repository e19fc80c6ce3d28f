// How long a search's next stretch of a conversation is, from what the last one held (lib/chat/search.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextSpan } from "../../lib/chat/search";

const HOUR = 3_600_000;

describe("nextSpan", () => {
  it("reads sixteen times as far after a stretch with nothing in it (a rare word)", () => {
    assert.equal(nextSpan(HOUR, { read: 0, passed: 0, needed: 20 }), 16 * HOUR);
  });

  it("grows by what the page still needs at the rate candidates were found, a quarter more", () => {
    // 40 postings read, 5 candidates, 10 more needed: 2.5 times as far.
    assert.equal(nextSpan(HOUR, { read: 40, passed: 5, needed: 10 }), 2.5 * HOUR);
    // A phrase of common words: 15 postings, 1 candidate, 19 more needed: at most sixteen times.
    assert.equal(nextSpan(HOUR, { read: 15, passed: 1, needed: 19 }), 16 * HOUR);
  });

  it("keeps a stretch to about 300 postings, and shortens one that read more", () => {
    assert.equal(nextSpan(HOUR, { read: 150, passed: 0, needed: 20 }), 2 * HOUR);
    assert.equal(nextSpan(HOUR, { read: 1_200, passed: 1_200, needed: 0 }), HOUR / 4);
    // Never below a minute.
    assert.equal(nextSpan(60_000, { read: 6_000, passed: 0, needed: 20 }), 60_000);
  });

  it("stays as it is when the page needs nothing more, or found what it needs", () => {
    assert.equal(nextSpan(HOUR, { read: 30, passed: 30, needed: 0 }), HOUR);
    assert.equal(nextSpan(HOUR, { read: 30, passed: 30, needed: 10 }), HOUR);
  });
});
