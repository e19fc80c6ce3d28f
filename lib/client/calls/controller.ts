// The browser's side of a call, from the first ring to the last word (DESIGN.md "Calls"): what this
// tab shows (ringing, calling, connecting, in a call, how it ended), what it asks of the socket
// server, and the timers that hold when the server cannot be heard (the ring stops on its own; a
// ring with no socket for a few seconds fails). The media and the peer connection are session.ts.
// No React: components/calls renders `state` (call-store.ts) and calls the methods.
import type { CallMedia, CallSignalBody } from "../../schemas/call";
import type { CallDto } from "../../schemas/dto";
import type { CallEvent } from "./inbox";
import { CallStore } from "./call-store";
import { describeMediaError } from "./media";
import { CallSession } from "./session";
import type { ControllerDeps, CurrentCall } from "./types";
import { endedMessage } from "./wording";

export type { CallPhase, CallsState, ControllerDeps, CurrentCall } from "./types";

const TIMING = { endedShowMs: 2_500, noticeMs: 4_000, socketLostMs: 5_000 };
type CallRole = CurrentCall["role"];

export class CallController extends CallStore {
  private readonly timing: typeof TIMING;
  private partyId: string | null = null;
  private session: CallSession | null = null;
  /** Signals that came before this tab's peer connection existed. */
  private early: CallSignalBody[] = [];
  private ringTimer: ReturnType<typeof setTimeout> | undefined;
  private lostTimer: ReturnType<typeof setTimeout> | undefined;
  private clearTimer: ReturnType<typeof setTimeout> | undefined;
  private unalert: (() => void) | null = null;
  private ice: Promise<RTCConfiguration> | null = null;
  /** The other person's call, which rang here while my invite was on its way (glare). */
  private rival: CallDto | null = null;

  constructor(private readonly deps: ControllerDeps) {
    const timing = { ...TIMING, ...deps.timing };
    super(timing.noticeMs);
    this.timing = timing;
  }

  /** True while this tab takes part in (or is being asked to take part in) a call. */
  get engaged(): boolean {
    return this.state.call !== null && this.state.call.phase !== "ended";
  }

  // ── Server events ──────────────────────────────────────────────────────────────────────────

  handle = (event: CallEvent) => {
    switch (event.event) {
      case "call:ringing":
        return this.ringing(event.payload.call);
      case "call:answered":
        return this.answered(event.payload.call);
      case "call:answered-elsewhere":
        return this.answeredElsewhere(event.payload.call);
      case "call:ended":
        return this.ended(event.payload.call);
      case "call:signal":
        return this.signal(event.payload.callId, event.payload.signal);
    }
  };

  private ringing(call: CallDto) {
    const current = this.state.call;
    const mine = current?.id === call.id;
    if (call.callerId === this.deps.me) {
      if (!mine) this.set({ elsewhere: { callId: call.id, conversationId: call.conversationId } });
      return;
    }
    if (current && current.phase === "outgoing" && !this.partyId && current.conversationId === call.conversationId && current.peer.id === call.callerId && !mine) {
      // Both pressed call at the same moment, and their call reached the server first: my invite,
      // on its way, will answer it (the server turns the second invite into the answer). Should my
      // invite fail, their call rings here like any other.
      this.rival = call;
      return;
    }
    if (call.calleeId !== this.deps.me || mine || this.engaged) return;
    const peer = this.deps.peerOf(call.conversationId) ?? { id: call.callerId, name: "Someone" };
    this.clearEnded();
    this.set({ call: { id: call.id, conversationId: call.conversationId, peer, role: "callee", media: call.media, phase: "incoming", connectedAt: null, problem: null, busy: false, session: null, preview: null, ended: null } });
    if (!this.deps.silent(call.conversationId)) this.deps.tone?.start("ring");
    this.unalert = this.deps.alert?.(this.state.call!) ?? null;
    this.ringFor(call.ringMs);
  }

  /** The ring stops here when it should, even if the server's word never comes. */
  private ringFor(ms: number) {
    clearTimeout(this.ringTimer);
    this.ringTimer = setTimeout(() => {
      const call = this.state.call;
      if (!call) return;
      if (call.phase === "incoming") this.close();
      else if (call.phase === "outgoing") {
        void this.hangupRequest();
        this.finish({ message: "No answer" });
      }
    }, ms + (this.state.call?.role === "caller" ? 3_000 : 500));
  }

  private answered(call: CallDto) {
    const current = this.state.call;
    if (current?.id !== call.id) {
      if (call.callerId === this.deps.me || call.calleeId === this.deps.me) this.set({ elsewhere: { callId: call.id, conversationId: call.conversationId } });
      return;
    }
    if (current.phase === "outgoing" && current.role === "caller" && this.partyId) {
      this.stopRinging();
      this.patchCall({ phase: "connecting" });
      void this.connect("caller");
    }
    if (call.state === "active") this.patchCall({ phase: "active", connectedAt: call.connectedAt });
  }

  private answeredElsewhere(call: CallDto) {
    if (this.state.call?.id === call.id && this.state.call.phase === "incoming") {
      this.stopRinging();
      this.set({ call: null });
      this.notice("Answered on another device");
    }
    this.set({ elsewhere: { callId: call.id, conversationId: call.conversationId } });
  }

  private ended(call: CallDto) {
    if (this.state.elsewhere?.callId === call.id) this.set({ elsewhere: null });
    const current = this.state.call;
    if (current?.id !== call.id || current.phase === "ended") return;
    // A ring that stops (answered or declined on another tab, cancelled, missed) just goes away.
    if (current.phase === "incoming") return this.close();
    this.finish({ message: endedMessage(call.outcome, { role: current.role, peerName: current.peer.name }) });
  }

  private signal(callId: string, signal: CallSignalBody) {
    if (this.state.call?.id !== callId) return;
    if (this.session) this.session.receive(signal);
    else this.early.push(signal);
  }

  /** The socket came back (or went away). */
  socketChanged(up: boolean) {
    clearTimeout(this.lostTimer);
    const call = this.state.call;
    if (!call || call.phase === "ended") return;
    if (!up && (call.phase === "incoming" || call.phase === "outgoing")) {
      this.lostTimer = setTimeout(() => {
        void this.hangupRequest();
        if (this.state.call?.phase === "incoming" || this.state.call?.phase === "outgoing") this.finish({ message: "Call failed — connection lost" });
      }, this.timing.socketLostMs);
    }
    if (up && this.partyId && (call.phase === "connecting" || call.phase === "active")) void this.resume(call.id, this.partyId);
  }

  private async resume(callId: string, partyId: string) {
    const result = await this.deps.emit<{ call: CallDto }>("call:resume", { callId, partyId });
    if (this.state.call?.id !== callId) return;
    if (result.ok && result.data.call.state !== "ended") return this.session?.restartIce();
    if (result.ok) return this.ended(result.data.call);
    if (!result.error.retryable) this.finish({ message: "Call ended — the connection was lost for too long" });
  }

  // ── What the person does ───────────────────────────────────────────────────────────────────

  /** Places a call from this tab. `media` "audio" after a video call's camera failed and the person chose audio only. */
  async start(conversationId: string, media: CallMedia) {
    const ringingHere = this.state.call;
    // Calling the person whose call rings here is answering it, as the server would make it.
    if (ringingHere?.phase === "incoming" && ringingHere.conversationId === conversationId) return this.accept(media);
    if (this.engaged || this.state.elsewhere) return;
    const peer = this.deps.peerOf(conversationId);
    if (!peer) return;
    this.clearEnded();
    const id = this.deps.newCallId();
    this.partyId = null;
    this.set({ call: { id, conversationId, peer, role: "caller", media, phase: "outgoing", connectedAt: null, problem: null, busy: true, session: null, preview: null, ended: null } });
    this.ice = this.deps.iceConfig();
    const local = await this.media(media);
    if (!local || this.state.call?.id !== id) return void local?.getTracks().forEach((t) => t.stop());
    this.local = local;
    this.patchCall({ preview: local });
    this.deps.tone?.start("ringback");
    const result = await this.deps.emit<{ call: CallDto; partyId: string | null; role: CallRole }>("call:invite", { conversationId, callId: id, media });
    if (this.state.call?.id !== id) return;
    const rival = this.rival;
    this.rival = null;
    if (!result.ok) {
      if (rival) {
        // My invite could not answer their call: it rings here instead.
        this.release();
        this.set({ call: null });
        return this.ringing(rival);
      }
      const message = result.error.code === "CONFLICT" ? "You are already in a call" : result.error.code === "RATE_LIMITED" ? "Too many calls — wait a moment" : result.error.message;
      return this.finish({ message });
    }
    const { call, partyId, role } = result.data;
    this.partyId = partyId;
    if (call.state === "ended") return this.finish({ message: endedMessage(call.outcome, { role: "caller", peerName: peer.name }) });
    if (role === "callee") {
      // Glare: they were calling me at the same moment, and this tab answered their call.
      this.stopRinging();
      this.set({ call: { ...this.state.call!, id: call.id, role: "callee", media: call.media, phase: call.state === "active" ? "active" : "connecting", connectedAt: call.connectedAt, busy: false } });
      return this.connect("callee");
    }
    this.patchCall({ busy: false });
    if (call.state === "ringing") this.ringFor(call.ringMs);
    else this.answered(call);
  }

  private local: MediaStream | null = null;

  /** The microphone (and camera): on failure the call shows why and waits for a choice. */
  private async media(media: CallMedia): Promise<MediaStream | null> {
    try {
      return await this.deps.openMedia(media);
    } catch (error) {
      this.patchCall({ problem: describeMediaError(error, media), busy: false });
      return null;
    }
  }

  async accept(media: CallMedia) {
    const call = this.state.call;
    if (!call || call.phase !== "incoming" || call.busy) return;
    this.stopRinging();
    this.patchCall({ busy: true, problem: null });
    const local = this.local ?? (await this.media(media));
    if (!local || this.state.call?.id !== call.id) return void local?.getTracks().forEach((t) => t.stop());
    this.local = local;
    this.ice = this.ice ?? this.deps.iceConfig();
    const result = await this.deps.emit<{ call: CallDto; partyId: string }>("call:answer", { callId: call.id, media });
    if (this.state.call?.id !== call.id) return void local.getTracks().forEach((t) => t.stop());
    if (!result.ok) {
      local.getTracks().forEach((t) => t.stop());
      this.local = null;
      this.set({ call: null });
      return this.notice(result.error.code === "CONFLICT" ? "This call was answered elsewhere or has ended" : result.error.message);
    }
    this.partyId = result.data.partyId;
    this.patchCall({ busy: false, phase: result.data.call.state === "active" ? "active" : "connecting", connectedAt: result.data.call.connectedAt });
    await this.connect("callee");
  }

  /** After the camera failed: the same call with the microphone alone (a voice call when placing it). */
  async audioOnly() {
    const call = this.state.call;
    if (!call?.problem) return;
    if (call.role === "callee" && call.phase === "incoming") return this.accept("audio");
    if (call.role === "caller" && !this.partyId) {
      this.close();
      return this.start(call.conversationId, "audio");
    }
  }

  async decline() {
    const call = this.state.call;
    if (!call || call.phase !== "incoming") return;
    this.close();
    await this.deps.emit("call:reject", { callId: call.id });
  }

  /** Hang up, or cancel a call still ringing, or give up on one whose media failed. */
  async hangup() {
    const call = this.state.call;
    if (!call || call.phase === "ended") return this.close();
    if (call.phase === "incoming") return this.decline();
    const request = this.hangupRequest();
    if (call.phase === "outgoing" && !this.partyId) return this.close();
    this.finish({ message: call.phase === "outgoing" ? "Call cancelled" : "Call ended" });
    await request;
  }

  /** What pagehide sends: the tab is going, best effort. */
  leaving() {
    void this.hangupRequest();
  }

  private hangupRequest(failed?: "ice" | "media") {
    const call = this.state.call;
    if (!call || !this.partyId) return Promise.resolve();
    return this.deps.emit("call:hangup", { callId: call.id, partyId: this.partyId, ...(failed ? { failed } : {}) });
  }

  setMuted = (muted: boolean) => this.session?.setMuted(muted);
  setCameraOff = (off: boolean) => this.session?.setCameraOff(off).catch((error: unknown) => this.notice(describeMediaError(error, "video").message));
  switchDevice = (kind: "audio" | "video", deviceId: string) => this.session?.switchDevice(kind, deviceId).catch((error: unknown) => this.notice(describeMediaError(error, kind).message));
  deviceInUse = (kind: "audio" | "video") => this.session?.deviceInUse(kind);
  get peerConnection(): RTCPeerConnection | null {
    return this.session?.pc ?? null;
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────

  private async connect(role: CallRole) {
    const call = this.state.call;
    const local = this.local;
    const partyId = this.partyId;
    if (!call || !local || !partyId || this.session) return;
    const config = await (this.ice ?? this.deps.iceConfig()).catch(() => ({ iceServers: [] }));
    if (this.state.call?.id !== call.id) return;
    const callId = call.id;
    this.session = new CallSession({
      ...this.deps.session,
      polite: role === "callee",
      local,
      config,
      send: (signal) => void this.deps.emit("call:signal", { callId, partyId, signal }),
      onFirstConnected: () => {
        void this.deps.emit<{ call: CallDto }>("call:connected", { callId, partyId }).then((result) => {
          if (result.ok && this.state.call?.id === callId && result.data.call.state === "active") this.patchCall({ phase: "active", connectedAt: result.data.call.connectedAt });
        });
      },
      onGiveUp: (why) => {
        void this.hangupRequest(why);
        this.finish({ message: why === "ice" ? "Couldn't connect: the network blocks calls; ask your admin for a TURN server" : "Call failed" });
      },
      changed: () => this.patchCall({ session: this.session?.view ?? null }),
    });
    this.local = null;
    this.patchCall({ session: this.session.view, preview: null });
    for (const signal of this.early.splice(0)) this.session.receive(signal);
  }

  private stopRinging() {
    clearTimeout(this.ringTimer);
    this.deps.tone?.stop();
    this.unalert?.();
    this.unalert = null;
  }

  private release({ keepLocal = false } = {}) {
    this.stopRinging();
    clearTimeout(this.lostTimer);
    this.session?.close();
    this.session = null;
    if (!keepLocal) this.local?.getTracks().forEach((t) => t.stop());
    if (!keepLocal) this.local = null;
    this.rival = null;
    this.early = [];
    this.partyId = null;
  }

  /** Shows how the call ended for a moment, then nothing. */
  private finish(ended: { message: string }) {
    if (!this.state.call) return;
    this.release();
    this.patchCall({ phase: "ended", ended, busy: false, session: null, preview: null });
    clearTimeout(this.clearTimer);
    this.clearTimer = setTimeout(() => this.set({ call: null }), this.timing.endedShowMs);
  }

  /** Takes the call away at once. */
  close() {
    this.release();
    clearTimeout(this.clearTimer);
    this.set({ call: null });
  }

  private clearEnded() {
    clearTimeout(this.clearTimer);
    if (this.state.call?.phase === "ended") this.set({ call: null });
  }

  dispose() {
    this.release();
    clearTimeout(this.clearTimer);
    this.disposeStore();
  }
}
