// Typing and presence on the client, and the socket server's count of a user's sockets: the rules
// with a fake clock (the real stack is exercised by test/integration/typing and presence, and e2e).
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { lastSeenLabel } from "../../components/chat/format";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from "../../lib/realtime/events";
import { emptyPresence, presenceReducer } from "../../lib/client/presence-store";
import { TypingIndicators, TypingSender, typingLabel } from "../../lib/client/typing";
import type { TypingInput } from "../../lib/schemas/conversation";
import { MemoryPresenceStore } from "../../socket-server/presence/store";
import { checkAttending, checkPresenceStore } from "../support/presence-store-contract";

const C1 = "0000000000000000000000c1";
const C2 = "0000000000000000000000c2";
const ANA = "0000000000000000000000a1";
const BEN = "0000000000000000000000b1";

function sender() {
  const sent: TypingInput[] = [];
  const clock = { t: 1_000_000, now() { return this.t; } };
  return { sent, clock, typing: new TypingSender((input) => sent.push(input), clock) };
}

describe("TypingSender", () => {
  it("says 'typing' at most once per throttle window per conversation, and again once it has passed", () => {
    const { sent, clock, typing } = sender();
    for (let i = 0; i < 10; i += 1) {
      typing.input(C1, "h".repeat(i + 1));
      clock.t += 100;
    }
    assert.deepEqual(sent, [{ conversationId: C1, typing: true }]);
    typing.input(C2, "elsewhere");
    assert.equal(sent.length, 2, "another conversation has its own window");
    clock.t += TYPING_THROTTLE_MS;
    typing.input(C1, "more");
    assert.deepEqual(sent.at(-1), { conversationId: C1, typing: true });
    assert.equal(sent.length, 3);
  });

  it("says 'stopped' once, only while a start may still be showing", () => {
    const { sent, clock, typing } = sender();
    typing.stop(C1);
    assert.deepEqual(sent, [], "nothing to stop");
    typing.input(C1, "hi");
    typing.stop(C1);
    typing.stop(C1);
    assert.deepEqual(sent, [{ conversationId: C1, typing: true }, { conversationId: C1, typing: false }]);
    // A start long gone (expired on the other side) needs no stop.
    clock.t += TYPING_THROTTLE_MS;
    typing.input(C1, "again");
    clock.t += TYPING_EXPIRES_MS;
    typing.stop(C1);
    assert.equal(sent.length, 3);
  });

  it("treats an emptied composer as a stop, and starts afresh after a dropped connection", () => {
    const { sent, typing } = sender();
    typing.input(C1, "draft");
    typing.input(C1, "   ");
    assert.deepEqual(sent.map((s) => s.typing), [true, false]);
    typing.reset();
    typing.input(C1, "new socket");
    assert.deepEqual(sent.map((s) => s.typing), [true, false, true], "the server forgot the old socket's window");
  });
});

describe("TypingIndicators", () => {
  function indicators() {
    const changes: [string, string[]][] = [];
    return { changes, typing: new TypingIndicators((conversationId, userIds) => changes.push([conversationId, userIds])) };
  }

  it("shows a start until it expires by itself, and a refresh keeps it", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { changes, typing } = indicators();
      typing.heard({ conversationId: C1, userId: ANA, typing: true });
      assert.deepEqual(changes, [[C1, [ANA]]]);
      mock.timers.tick(TYPING_EXPIRES_MS - 1_000);
      typing.heard({ conversationId: C1, userId: ANA, typing: true });
      assert.equal(changes.length, 1, "a refresh changes nothing visible");
      mock.timers.tick(TYPING_EXPIRES_MS - 1);
      assert.equal(changes.length, 1, "still within the refreshed window");
      mock.timers.tick(1);
      assert.deepEqual(changes.at(-1), [C1, []], "gone by itself, with no stop ever heard");
    } finally {
      mock.timers.reset();
    }
  });

  it("keeps typists in the order they started, and a stop, a message or a lost connection ends them", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { changes, typing } = indicators();
      typing.heard({ conversationId: C1, userId: ANA, typing: true });
      typing.heard({ conversationId: C1, userId: BEN, typing: true });
      typing.heard({ conversationId: C2, userId: BEN, typing: true });
      assert.deepEqual(changes.at(-2), [C1, [ANA, BEN]]);
      typing.heard({ conversationId: C1, userId: ANA, typing: false });
      assert.deepEqual(changes.at(-1), [C1, [BEN]]);
      typing.stop(C1, BEN);
      assert.deepEqual(changes.at(-1), [C1, []]);
      typing.stop(C1, BEN);
      typing.heard({ conversationId: C1, userId: ANA, typing: false });
      assert.equal(changes.length, 5, "stopping someone not shown changes nothing");
      typing.clear();
      assert.deepEqual(changes.at(-1), [C2, []]);
      mock.timers.tick(TYPING_EXPIRES_MS);
      assert.equal(changes.length, 6, "cleared timers never fire");
    } finally {
      mock.timers.reset();
    }
  });
});

describe("labels", () => {
  it("names one, two, or the first and a count of the others", () => {
    assert.equal(typingLabel([]), null);
    assert.equal(typingLabel(["Ana"]), "Ana is typing…");
    assert.equal(typingLabel(["Ana", "Ben"]), "Ana and Ben are typing…");
    assert.equal(typingLabel(["Ana", "Ben", "Cleo"]), "Ana and 2 others are typing…");
  });

  it("says when someone was last seen, relative to now", () => {
    const now = new Date(2025, 2, 10, 15, 30).getTime();
    const at = (ms: number) => new Date(now - ms).toISOString();
    assert.equal(lastSeenLabel(at(10_000), now), "last seen just now");
    assert.equal(lastSeenLabel(at(-5_000), now), "last seen just now", "a clock a little ahead");
    assert.equal(lastSeenLabel(at(60_000), now), "last seen 1 minute ago");
    assert.equal(lastSeenLabel(at(42 * 60_000), now), "last seen 42 minutes ago");
    assert.match(lastSeenLabel(at(3 * 3_600_000), now), /^last seen today at \d{1,2}.\d{2}/);
    assert.match(lastSeenLabel(new Date(2025, 2, 9, 22, 0).toISOString(), now), /^last seen yesterday at /);
    assert.match(lastSeenLabel(new Date(2025, 1, 3, 9, 0).toISOString(), now), /^last seen (Feb 3|3 Feb)$/);
  });
});

describe("presence state", () => {
  it("merges what it hears, and forgets everything when the connection drops", () => {
    let state = presenceReducer(emptyPresence, { type: "presence/merge", users: [{ userId: ANA, online: true, lastSeenAt: null }] });
    state = presenceReducer(state, { type: "presence/merge", users: [{ userId: BEN, online: false, lastSeenAt: "2025-01-01T00:00:00.000Z" }] });
    state = presenceReducer(state, { type: "presence/merge", users: [{ userId: ANA, online: false, lastSeenAt: "2025-01-02T00:00:00.000Z" }] });
    assert.deepEqual(Object.keys(state.users).sort(), [ANA, BEN]);
    assert.equal(state.users[ANA]?.online, false);
    state = presenceReducer(state, { type: "typing/set", conversationId: C1, userIds: [ANA] });
    assert.deepEqual(state.typing, { [C1]: [ANA] });
    state = presenceReducer(state, { type: "typing/set", conversationId: C1, userIds: [] });
    assert.deepEqual(state.typing, {});
    assert.equal(presenceReducer(state, { type: "presence/clear" }), emptyPresence);
  });
});

describe("MemoryPresenceStore", () => {
  it("counts a user's sockets and departures: online from the first, leaving after the last, offline once settled", async () => {
    await checkPresenceStore(new MemoryPresenceStore(), [ANA, BEN]);
  });

  it("knows who attends: a socket whose tab is in view, for as long as it is open", async () => {
    await checkAttending(new MemoryPresenceStore(), [ANA, BEN, "0000000000000000000000c3"]);
  });
});
