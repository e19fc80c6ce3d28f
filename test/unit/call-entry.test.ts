// A call's one entry in its conversation (lib/chat/call-entry.ts): the sentence both people and the
// conversation list read, for every outcome, and the duration of a completed call.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration } from "../../lib/calls/duration";
import { callEntryText } from "../../lib/chat/call-entry";
import { CALL_OUTCOMES, callSignalBodySchema, SDP_MAX } from "../../lib/schemas/call";

describe("call entries", () => {
  it("words every outcome for voice and video", () => {
    const seen = new Set<string>();
    for (const media of ["audio", "video"] as const) {
      for (const outcome of CALL_OUTCOMES) {
        const text = callEntryText(media, outcome, outcome === "completed" ? 192_000 : null);
        assert.match(text, media === "audio" ? /voice call/i : /video call/i);
        seen.add(text);
      }
    }
    assert.equal(seen.size, CALL_OUTCOMES.length * 2, "two outcomes read the same");
    assert.equal(callEntryText("audio", "missed", null), "Missed voice call");
    assert.equal(callEntryText("video", "completed", 192_000), "Video call · 3:12");
    assert.equal(callEntryText("video", "busy", null), "Video call · Busy");
  });

  it("shows minutes and seconds, and hours only when there are some", () => {
    assert.equal(formatDuration(0), "0:00");
    assert.equal(formatDuration(999), "0:00");
    assert.equal(formatDuration(5_400), "0:05");
    assert.equal(formatDuration(59_999), "0:59");
    assert.equal(formatDuration(60_000), "1:00");
    assert.equal(formatDuration(3_599_000), "59:59");
    assert.equal(formatDuration(3_600_000), "1:00:00");
    assert.equal(formatDuration(3_725_000), "1:02:05");
  });
});

describe("call signals", () => {
  it("take a description, a candidate (or its end) or a media state, and nothing else", () => {
    const ok = [
      { description: { type: "offer", sdp: "v=0" } },
      { description: { type: "rollback", sdp: "" } },
      { candidate: null },
      { candidate: { candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: null } },
      { media: { muted: true, cameraOff: false } },
    ];
    for (const signal of ok) assert.ok(callSignalBodySchema.safeParse(signal).success, JSON.stringify(signal));
    const bad = [{}, { description: { type: "offer", sdp: "x".repeat(SDP_MAX + 1) } }, { description: { type: "hack", sdp: "" } }, { media: { muted: 1, cameraOff: false } }, "offer", null];
    for (const signal of bad) assert.ok(!callSignalBodySchema.safeParse(signal).success, JSON.stringify(signal));
  });
});
