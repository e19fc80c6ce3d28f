// "Ana is sending a photo…": what a client says while a message's files upload, what it shows of
// others doing so, and the words, with a fake clock.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from "../../lib/realtime/events";
import { emptyPresence, presenceReducer } from "../../lib/client/presence-store";
import { TypingIndicators, TypingSender, typingLabel, type TypingActivities } from "../../lib/client/typing";
import type { TypingInput } from "../../lib/schemas/conversation";

const C1 = "0000000000000000000000c1";
const ANA = "0000000000000000000000a1";
const BEN = "0000000000000000000000b1";

describe("sending files, as typing", () => {
  it("says what is being sent while files upload; typing and its stops wait until the upload ends", () => {
    const sent: TypingInput[] = [];
    const clock = { t: 1_000_000, now() { return this.t; } };
    const typing = new TypingSender((input) => sent.push(input), clock);
    typing.sending(C1, "photo");
    assert.deepEqual(sent, [{ conversationId: C1, typing: true, activity: "photo" }]);
    // The person writes the next message while the photo uploads, then sends it: nothing changes.
    typing.input(C1, "and");
    typing.stop(C1);
    assert.equal(sent.length, 1);
    clock.t += TYPING_THROTTLE_MS;
    typing.sending(C1, "photo");
    assert.deepEqual(sent.at(-1), { conversationId: C1, typing: true, activity: "photo" }, "refreshed once the window has passed");
    typing.sending(C1, null);
    assert.deepEqual(sent.at(-1), { conversationId: C1, typing: false });
    assert.equal(sent.length, 3);
    clock.t += TYPING_THROTTLE_MS;
    typing.input(C1, "text again");
    assert.deepEqual(sent.at(-1), { conversationId: C1, typing: true }, "plain typing carries no activity");
  });

  it("shows what each person is sending, and a change of it, until it stops or expires", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const changes: [string[], TypingActivities][] = [];
      const indicators = new TypingIndicators((_, userIds, activities) => changes.push([userIds, activities]));
      indicators.heard({ conversationId: C1, userId: ANA, typing: true });
      indicators.heard({ conversationId: C1, userId: ANA, typing: true, activity: "video" });
      indicators.heard({ conversationId: C1, userId: BEN, typing: true, activity: "photo" });
      indicators.heard({ conversationId: C1, userId: BEN, typing: true, activity: "photo" });
      assert.deepEqual(changes, [
        [[ANA], {}],
        [[ANA], { [ANA]: "video" }],
        [[ANA, BEN], { [ANA]: "video", [BEN]: "photo" }],
      ]);
      mock.timers.tick(TYPING_EXPIRES_MS);
      assert.deepEqual(changes.at(-1), [[], {}]);
    } finally {
      mock.timers.reset();
    }
  });

  it("keeps who is sending what in the store, per conversation", () => {
    let state = presenceReducer(emptyPresence, { type: "typing/set", conversationId: C1, userIds: [ANA], activities: { [ANA]: "file" } });
    assert.deepEqual(state.sending, { [C1]: { [ANA]: "file" } });
    state = presenceReducer(state, { type: "typing/set", conversationId: C1, userIds: [ANA], activities: {} });
    assert.deepEqual(state.sending, {});
  });

  it("words it as the typing line does", () => {
    assert.equal(typingLabel(["Ana"], ["photo"]), "Ana is sending a photo…");
    assert.equal(typingLabel(["Ana"], ["audio"]), "Ana is sending an audio file…");
    assert.equal(typingLabel(["Ana"], [undefined]), "Ana is typing…");
    assert.equal(typingLabel(["Ana", "Ben"], ["photo", "photo"]), "Ana and Ben are sending photos…");
    assert.equal(typingLabel(["Ana", "Ben"], ["video", undefined]), "Ana is sending a video, Ben is typing…");
    assert.equal(typingLabel(["Ana", "Ben", "Cleo"], ["file", "file", "file"]), "Ana and 2 others are sending files…");
    assert.equal(typingLabel(["Ana", "Ben", "Cleo"], ["photo", "video", "file"]), "Ana and 2 others are sending files…");
    assert.equal(typingLabel(["Ana", "Ben", "Cleo"], ["photo"]), "Ana and 2 others are typing or sending files…");
    assert.equal(typingLabel(["Ana", "Ben", "Cleo"]), "Ana and 2 others are typing…");
  });
});
