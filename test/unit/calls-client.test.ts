// The browser's call logic without a browser: the controller's states and timers against a
// recording transport and fake clock, perfect negotiation against a stand-in peer connection, and
// the pure rules (quality, entry wording, media errors). The real thing runs in e2e/calls.spec.ts.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import type { Ack } from "../../lib/realtime/events";
import { CallController, type ControllerDeps } from "../../lib/client/calls/controller";
import { callEntryView, formatDuration } from "../../lib/client/calls/entry";
import { CallInbox } from "../../lib/client/calls/inbox";
import { describeMediaError } from "../../lib/client/calls/media";
import { PeerLink } from "../../lib/client/calls/peer";
import { rateQuality, sampleStats } from "../../lib/client/calls/quality";
import type { CallSignalBody } from "../../lib/schemas/call";
import type { CallDto } from "../../lib/schemas/dto";

const ME = "0000000000000000000000a1";
const BEN = "0000000000000000000000b1";
const CONV = "0000000000000000000000c1";
const CALL_A = "11111111-1111-4111-8111-111111111111";
const CALL_B = "22222222-2222-4222-8222-222222222222";
const PARTY = "p".repeat(24);

function dto(patch: Partial<CallDto>): CallDto {
  return {
    id: CALL_A,
    conversationId: CONV,
    callerId: BEN,
    calleeId: ME,
    media: "video",
    state: "ringing",
    outcome: null,
    answeredMedia: null,
    createdAt: new Date().toISOString(),
    ringMs: 45_000,
    connectedAt: null,
    endedAt: null,
    ...patch,
  };
}

type Sent = { event: string; payload: Record<string, unknown> };

function harness(answers: Partial<Record<string, (payload: Record<string, unknown>) => Ack<unknown>>> = {}, extra: Partial<ControllerDeps> = {}) {
  const sent: Sent[] = [];
  const tones: string[] = [];
  const stopped: string[] = [];
  const fakeStream = () => ({ getTracks: () => [{ stop: () => stopped.push("track") }], getAudioTracks: () => [], getVideoTracks: () => [] }) as unknown as MediaStream;
  const controller = new CallController({
    me: ME,
    emit: async <T>(event: string, payload: unknown) => {
      sent.push({ event, payload: payload as Record<string, unknown> });
      const answer = answers[event];
      return (answer ? answer(payload as Record<string, unknown>) : { ok: true, data: {} }) as Ack<T>;
    },
    peerOf: () => ({ id: BEN, name: "Ben" }),
    silent: () => false,
    iceConfig: async () => ({ iceServers: [] }),
    openMedia: async () => fakeStream(),
    newCallId: () => CALL_A,
    tone: { start: (kind) => tones.push(kind), stop: () => tones.push("stop") },
    session: { createPeer: () => new FakePeer() as unknown as RTCPeerConnection },
    ...extra,
  });
  return { controller, sent, tones, stopped };
}

describe("call controller", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "setInterval"] }));
  afterEach(() => mock.timers.reset());

  it("rings for an incoming call, with a tone unless the conversation is muted, and stops on its own after ringMs", () => {
    const { controller, tones } = harness();
    controller.handle({ event: "call:ringing", payload: { call: dto({ ringMs: 10_000 }) } });
    assert.equal(controller.state.call?.phase, "incoming");
    assert.deepEqual(controller.state.call?.peer, { id: BEN, name: "Ben" });
    assert.deepEqual(tones, ["ring"]);
    mock.timers.tick(10_499);
    assert.equal(controller.state.call?.phase, "incoming");
    mock.timers.tick(2);
    assert.equal(controller.state.call, null, "the ring stops without the server's word");
    assert.equal(tones.at(-1), "stop");

    const muted = harness({}, { silent: () => true });
    muted.controller.handle({ event: "call:ringing", payload: { call: dto({}) } });
    assert.equal(muted.controller.state.call?.phase, "incoming");
    assert.deepEqual(muted.tones, [], "a muted conversation rings in silence");
  });

  it("answered on another tab: the ring stops at once, quietly, and the tab shows the call is elsewhere", () => {
    const { controller, tones } = harness();
    controller.handle({ event: "call:ringing", payload: { call: dto({}) } });
    controller.handle({ event: "call:answered-elsewhere", payload: { call: dto({ state: "connecting" }) } });
    assert.equal(controller.state.call, null);
    assert.equal(controller.state.notice, "Answered on another device");
    assert.deepEqual(controller.state.elsewhere, { callId: CALL_A, conversationId: CONV });
    assert.equal(tones.at(-1), "stop");
    controller.handle({ event: "call:ended", payload: { call: dto({ state: "ended", outcome: "completed" }) } });
    assert.equal(controller.state.elsewhere, null);
  });

  it("a ring whose socket stays down for five seconds fails with a reason", () => {
    const { controller } = harness();
    controller.handle({ event: "call:ringing", payload: { call: dto({}) } });
    controller.socketChanged(false);
    mock.timers.tick(4_000);
    controller.socketChanged(true);
    mock.timers.tick(2_000);
    assert.equal(controller.state.call?.phase, "incoming", "a short drop is forgiven");
    controller.socketChanged(false);
    mock.timers.tick(5_001);
    assert.equal(controller.state.call?.phase, "ended");
    assert.equal(controller.state.call?.ended?.message, "Call failed — connection lost");
  });

  it("declining sends call:reject and takes the dialog away", async () => {
    const { controller, sent } = harness();
    controller.handle({ event: "call:ringing", payload: { call: dto({}) } });
    await controller.decline();
    assert.equal(controller.state.call, null);
    assert.deepEqual(sent, [{ event: "call:reject", payload: { callId: CALL_A } }]);
  });

  it("placing a call: ring-back, then the busy answer ends it with the other person's name", async () => {
    const { controller, sent, tones, stopped } = harness({
      "call:invite": () => ({ ok: true, data: { call: dto({ callerId: ME, calleeId: BEN, state: "ended", outcome: "busy" }), partyId: null, role: "caller" } }),
    });
    await controller.start(CONV, "audio");
    assert.deepEqual(sent[0], { event: "call:invite", payload: { conversationId: CONV, callId: CALL_A, media: "audio" } });
    assert.equal(controller.state.call?.phase, "ended");
    assert.equal(controller.state.call?.ended?.message, "Ben is busy");
    assert.deepEqual(tones, ["ringback", "stop"]);
    assert.equal(stopped.length, 1, "the microphone is released");
    mock.timers.tick(2_501);
    assert.equal(controller.state.call, null);
  });

  it("a caller's call that nobody answers ends as No answer a little after the server should have said so", async () => {
    const { controller, sent } = harness({
      "call:invite": () => ({ ok: true, data: { call: dto({ callerId: ME, calleeId: BEN, ringMs: 5_000 }), partyId: PARTY, role: "caller" } }),
    });
    await controller.start(CONV, "video");
    assert.equal(controller.state.call?.phase, "outgoing");
    mock.timers.tick(7_999);
    assert.equal(controller.state.call?.phase, "outgoing");
    mock.timers.tick(2);
    assert.equal(controller.state.call?.ended?.message, "No answer");
    assert.deepEqual(sent.at(-1), { event: "call:hangup", payload: { callId: CALL_A, partyId: PARTY } });
  });

  it("glare acknowledged by the server: this tab becomes the callee of the other call", async () => {
    const { controller } = harness({
      "call:invite": () => ({ ok: true, data: { call: dto({ id: CALL_B, state: "connecting" }), partyId: PARTY, role: "callee" } }),
    });
    await controller.start(CONV, "audio");
    assert.equal(controller.state.call?.id, CALL_B);
    assert.equal(controller.state.call?.role, "callee");
    assert.equal(controller.state.call?.phase, "connecting");
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(controller.peerConnection, "the polite side's peer connection waits for the offer");
    controller.close();
  });

  it("glare: their call rings here while my invite is on its way; the server's answer makes me its callee, with no dialog", async () => {
    const { controller, sent } = harness({
      "call:invite": () => ({ ok: true, data: { call: dto({ id: CALL_B, state: "connecting", media: "audio" }), partyId: PARTY, role: "callee" } }),
    });
    const placing = controller.start(CONV, "audio");
    // Their ring arrives while this tab still opens its microphone.
    controller.handle({ event: "call:ringing", payload: { call: dto({ id: CALL_B, media: "audio" }) } });
    assert.equal(controller.state.call?.phase, "outgoing", "no incoming dialog over my own outgoing call");
    await placing;
    assert.deepEqual(sent.map((s) => s.event), ["call:invite"]);
    assert.equal(controller.state.call?.id, CALL_B);
    assert.equal(controller.state.call?.phase, "connecting");
    controller.close();
  });

  it("glare: should my invite fail, their call rings here instead", async () => {
    const { controller } = harness({ "call:invite": () => ({ ok: false, error: { code: "UNAVAILABLE", message: "down", retryable: true } }) });
    const placing = controller.start(CONV, "audio");
    controller.handle({ event: "call:ringing", payload: { call: dto({ id: CALL_B, media: "video" }) } });
    await placing;
    assert.equal(controller.state.call?.id, CALL_B, JSON.stringify(controller.state.call));
    assert.equal(controller.state.call?.phase, "incoming");
    assert.equal(controller.state.call?.media, "video");
    controller.close();
  });

  it("pressing call while that person's call rings here answers it", async () => {
    const { controller, sent } = harness({
      "call:answer": () => ({ ok: true, data: { call: dto({ state: "connecting", media: "audio" }), partyId: PARTY } }),
    });
    controller.handle({ event: "call:ringing", payload: { call: dto({ media: "audio" }) } });
    await controller.start(CONV, "audio");
    assert.deepEqual(sent.map((s) => `${s.event} ${String(s.payload.callId)}`), [`call:answer ${CALL_A}`]);
    assert.equal(controller.state.call?.phase, "connecting");
    controller.close();
  });

  it("a camera that cannot be had: a clear reason and the offer of audio only, nothing sent", async () => {
    const denied = Object.assign(new Error("denied"), { name: "NotAllowedError" });
    const { controller, sent } = harness({}, { openMedia: async () => Promise.reject(denied) });
    await controller.start(CONV, "video");
    assert.equal(sent.length, 0);
    assert.equal(controller.state.call?.problem?.name, "NotAllowedError");
    assert.equal(controller.state.call?.problem?.audioOnlyMayWork, true);
  });

  it("answering a call another tab took first: the dialog goes, with a reason", async () => {
    const { controller } = harness({ "call:answer": () => ({ ok: false, error: { code: "CONFLICT", message: "taken", retryable: false } }) });
    controller.handle({ event: "call:ringing", payload: { call: dto({}) } });
    await controller.accept("video");
    assert.equal(controller.state.call, null);
    assert.match(controller.state.notice ?? "", /answered elsewhere/);
  });

  it("the caller's other tabs hear the ring as a call under way elsewhere", () => {
    const { controller } = harness();
    controller.handle({ event: "call:ringing", payload: { call: dto({ callerId: ME, calleeId: BEN }) } });
    assert.equal(controller.state.call, null);
    assert.deepEqual(controller.state.elsewhere, { callId: CALL_A, conversationId: CONV });
  });
});

describe("call inbox", () => {
  it("keeps events until the call engine takes them, asks for it once, and hands over a pending call button", () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const socket = { on: (event: string, listener: (payload: unknown) => void) => listeners.set(event, listener) };
    const inbox = new CallInbox();
    inbox.attach(socket as never);
    let wanted = 0;
    inbox.onWanted(() => (wanted += 1));
    listeners.get("call:ringing")!({ call: dto({}) });
    listeners.get("call:ended")!({ call: dto({ state: "ended" }) });
    assert.equal(wanted, 2);
    inbox.place(CONV, "audio");
    const seen: string[] = [];
    const placed: string[] = [];
    inbox.consume((event) => seen.push(event.event), (conversationId, media) => placed.push(`${conversationId}:${media}`));
    assert.deepEqual(seen, ["call:ringing", "call:ended"]);
    assert.deepEqual(placed, [`${CONV}:audio`]);
    listeners.get("call:signal")!({ callId: CALL_A, signal: { candidate: null } });
    assert.deepEqual(seen.at(-1), "call:signal");
  });
});

/** Just enough of RTCPeerConnection to watch perfect negotiation decide. */
class FakePeer {
  signalingState: RTCSignalingState = "stable";
  connectionState: RTCPeerConnectionState = "new";
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType } | null = null;
  log: string[] = [];
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: { candidate: string; toJSON(): object } | null }) => void) | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  iceGatheringState: RTCIceGatheringState = "new";
  onconnectionstatechange: unknown = null;
  ontrack: unknown = null;
  addTrack(track: { kind: string }) {
    this.log.push(`addTrack ${track.kind}`);
  }
  async setLocalDescription() {
    const type: RTCSdpType = this.signalingState === "have-remote-offer" ? "answer" : "offer";
    this.localDescription = { type, sdp: `${type}-sdp` };
    this.signalingState = type === "offer" ? "have-local-offer" : "stable";
    this.log.push(`setLocal ${type}`);
  }
  async setRemoteDescription(description: { type: RTCSdpType }) {
    if (description.type === "offer" && this.signalingState === "have-local-offer") this.log.push("rollback");
    this.signalingState = description.type === "offer" ? "have-remote-offer" : "stable";
    this.remoteDescription = description;
    this.log.push(`setRemote ${description.type}`);
  }
  async addIceCandidate() {
    if (!this.remoteDescription) throw new Error("The remote description was null");
    this.log.push("candidate");
  }
  getSenders() {
    return [];
  }
  getTransceivers() {
    return [];
  }
  restartIce() {}
  close() {}
}

function link(polite: boolean) {
  const peer = new FakePeer();
  const sent: CallSignalBody[] = [];
  const local = { getTracks: () => [{ kind: "audio" }] } as unknown as MediaStream;
  const errors: unknown[] = [];
  const created = new PeerLink({ polite, config: {}, local, send: (s) => sent.push(s), onRemote: () => {}, onState: () => {}, onError: (e) => errors.push(e), createPeer: () => peer as unknown as RTCPeerConnection });
  return { peer, sent, errors, link: created };
}

describe("perfect negotiation (peer.ts)", () => {
  it("the caller sends at once; the callee adds its tracks to the first offer's transceivers and answers", async () => {
    const caller = link(false);
    assert.deepEqual(caller.peer.log, ["addTrack audio"]);
    const callee = link(true);
    assert.deepEqual(callee.peer.log, [], "the callee waits for the offer");
    await callee.link.receive({ description: { type: "offer", sdp: "x" } });
    assert.deepEqual(callee.peer.log, ["setRemote offer", "addTrack audio", "setLocal answer"]);
    assert.deepEqual(callee.sent.at(-1), { description: { type: "answer", sdp: "answer-sdp" } });
  });

  it("crossing offers: the impolite caller ignores the callee's, the polite callee rolls back and answers", async () => {
    const impolite = new FakePeer();
    impolite.signalingState = "have-local-offer";
    const sentImpolite: CallSignalBody[] = [];
    const caller = new PeerLink({ polite: false, config: {}, local: { getTracks: () => [] } as unknown as MediaStream, send: (s) => sentImpolite.push(s), onRemote: () => {}, onState: () => {}, onError: () => {}, createPeer: () => impolite as unknown as RTCPeerConnection });
    await caller.receive({ description: { type: "offer", sdp: "theirs" } });
    await caller.receive({ candidate: { candidate: "theirs" } });
    assert.deepEqual(impolite.log, [], "the colliding offer is ignored, and its candidate is not applied");
    assert.deepEqual(sentImpolite, []);

    const polite = new FakePeer();
    polite.signalingState = "have-local-offer";
    const sentPolite: CallSignalBody[] = [];
    const callee = new PeerLink({ polite: true, config: {}, local: { getTracks: () => [] } as unknown as MediaStream, send: (s) => sentPolite.push(s), onRemote: () => {}, onState: () => {}, onError: () => {}, createPeer: () => polite as unknown as RTCPeerConnection });
    await callee.receive({ description: { type: "offer", sdp: "theirs" } });
    assert.deepEqual(polite.log, ["rollback", "setRemote offer", "setLocal answer"]);
    assert.deepEqual(sentPolite, [{ description: { type: "answer", sdp: "answer-sdp" } }]);
  });
});

describe("no path at all (peer.ts)", () => {
  it("gathering that ends without one local candidate is reported at once; one that found any is not", () => {
    for (const found of [0, 1]) {
      const peer = new FakePeer();
      let reported = 0;
      new PeerLink({ polite: false, config: {}, local: { getTracks: () => [] } as unknown as MediaStream, send: () => {}, onRemote: () => {}, onState: () => {}, onError: () => {}, onNoCandidates: () => (reported += 1), createPeer: () => peer as unknown as RTCPeerConnection });
      peer.iceGatheringState = "gathering";
      peer.onicegatheringstatechange!();
      for (let i = 0; i < found; i++) peer.onicecandidate!({ candidate: { candidate: "candidate:1 1 udp 1 192.0.2.2 5000 typ host", toJSON: () => ({ candidate: "c" }) } });
      peer.onicecandidate!({ candidate: null });
      assert.equal(reported, found === 0 ? 1 : 0);
    }
  });
});

describe("candidates before their description", () => {
  it("a candidate that overtakes the offer waits for it, then is applied; the call does not fail", async () => {
    const callee = link(true);
    await callee.link.receive({ candidate: { candidate: "early" } });
    await callee.link.receive({ candidate: null });
    assert.deepEqual(callee.peer.log, []);
    await callee.link.receive({ description: { type: "offer", sdp: "x" } });
    assert.deepEqual(callee.peer.log, ["setRemote offer", "candidate", "candidate", "addTrack audio", "setLocal answer"]);
    assert.deepEqual(callee.errors, []);
  });
});

describe("call rules", () => {
  it("rates connection quality from loss, round-trip time and jitter", () => {
    const stats = (rows: Record<string, unknown>[]) => ({ forEach: (f: (s: { type: string }) => void) => rows.forEach((r) => f(r as { type: string })) });
    const first = sampleStats(stats([{ type: "inbound-rtp", packetsReceived: 1000, packetsLost: 0, jitter: 0.005 }, { type: "transport", selectedCandidatePairId: "p" }, { type: "candidate-pair", id: "p", currentRoundTripTime: 0.04 }]));
    assert.deepEqual(first, { packetsReceived: 1000, packetsLost: 0, rttMs: 40, jitterMs: 5 });
    assert.equal(rateQuality(null, first), "good");
    assert.equal(rateQuality(first, { ...first, packetsReceived: 1100, packetsLost: 5 }), "fair");
    assert.equal(rateQuality(first, { ...first, packetsReceived: 1100, packetsLost: 20 }), "poor");
    assert.equal(rateQuality(first, { ...first, packetsReceived: 1100, rttMs: 700 }), "poor");
    assert.equal(rateQuality(null, { packetsReceived: 0, packetsLost: 0, rttMs: null, jitterMs: null }), null);
  });

  it("tells each call entry from the reader's side", () => {
    const entry = { id: CALL_A, media: "audio" as "audio" | "video", outcome: "missed" as const, callerId: ME, durationMs: null };
    assert.equal(callEntryView(entry, ME).title, "Voice call · No answer");
    assert.equal(callEntryView(entry, BEN).title, "Missed voice call");
    assert.equal(callEntryView(entry, BEN).alert, true);
    assert.equal(callEntryView({ ...entry, media: "video", outcome: "completed", durationMs: 192_000 }, BEN).title, "Video call · 3:12");
    assert.equal(callEntryView({ ...entry, outcome: "declined" }, ME).title, "Voice call · Declined");
    assert.equal(callEntryView({ ...entry, outcome: "cancelled" }, ME).title, "Cancelled voice call");
    assert.equal(formatDuration(3_723_000), "1:02:03");
    assert.equal(formatDuration(7_400), "0:07");
  });

  it("explains getUserMedia's errors and offers audio only for video", () => {
    const named = (name: string) => Object.assign(new Error(name), { name });
    assert.match(describeMediaError(named("NotAllowedError"), "video").message, /not allowed to use your camera or microphone/);
    assert.equal(describeMediaError(named("NotAllowedError"), "video").audioOnlyMayWork, true);
    assert.equal(describeMediaError(named("NotFoundError"), "audio").message, "No microphone was found on this device.");
    assert.equal(describeMediaError(named("NotFoundError"), "audio").audioOnlyMayWork, false);
    assert.match(describeMediaError(named("NotReadableError"), "video").message, /in use by another app/);
  });
});
