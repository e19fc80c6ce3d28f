// One RTCPeerConnection between the two parties of a call, negotiated the "perfect negotiation"
// way (W3C WebRTC spec §10.7, MDN "Establishing a connection: the WebRTC perfect negotiation
// pattern"): either side may make an offer at any time (a camera turned on in a voice call, an ICE
// restart); when two offers cross, the impolite side (the caller) ignores the other's, and the
// polite side (the callee) rolls its own back and answers. Signals are handled one at a time, in
// the order they came. No React, no socket: the controller hands signals in and out.
import type { CallSignalBody } from "../../schemas/call";

type Description = { type: RTCSdpType; sdp: string };

export type PeerLinkOptions = {
  /** The callee is polite: it yields when offers cross. */
  polite: boolean;
  config: RTCConfiguration;
  /** What this side sends; the caller adds it at once (and so makes the first offer), the callee when the first offer comes. */
  local: MediaStream;
  send: (signal: CallSignalBody) => void;
  onRemote: (stream: MediaStream) => void;
  onState: (state: RTCPeerConnectionState) => void;
  /** A failure of negotiation itself (a bad SDP, a closed connection): the call cannot go on. */
  onError: (error: unknown) => void;
  /**
   * Gathering finished without a single local candidate: with this configuration no path can exist
   * (relays only and no TURN server reachable, or a network that allows no UDP or TCP out), and
   * restarting ICE would only find nothing again.
   */
  onNoCandidates?: () => void;
  /** Tests pass a stand-in; the browser's own otherwise. */
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
};

export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private tracksAdded = false;
  private chain: Promise<void> = Promise.resolve();
  private remoteTracks: MediaStreamTrack[] = [];
  /** Candidates that came before any remote description. */
  private waiting: (RTCIceCandidateInit | null)[] = [];
  private closed = false;

  constructor(private readonly options: PeerLinkOptions) {
    this.pc = (options.createPeer ?? ((config) => new RTCPeerConnection(config)))(options.config);
    this.pc.onnegotiationneeded = () => void this.offer();
    let gathered = 0;
    this.pc.onicegatheringstatechange = () => {
      if (this.pc.iceGatheringState === "gathering") gathered = 0;
    };
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) gathered += 1;
      else if (gathered === 0 && !this.closed) options.onNoCandidates?.();
      options.send({ candidate: candidate ? toCandidateInit(candidate) : null });
    };
    this.pc.onconnectionstatechange = () => options.onState(this.pc.connectionState);
    this.pc.ontrack = ({ track }) => {
      if (this.remoteTracks.includes(track)) return;
      this.remoteTracks = [...this.remoteTracks.filter((t) => t.kind !== track.kind || t.readyState === "live"), track];
      track.onended = () => {
        this.remoteTracks = this.remoteTracks.filter((t) => t !== track);
        this.emitRemote();
      };
      this.emitRemote();
    };
    if (!options.polite) this.addLocalTracks();
  }

  /** A new MediaStream each time its tracks change, so a media element given it as srcObject picks up the change. */
  private emitRemote() {
    if (!this.closed) this.options.onRemote(new MediaStream(this.remoteTracks));
  }

  private addLocalTracks() {
    if (this.tracksAdded) return;
    this.tracksAdded = true;
    for (const track of this.options.local.getTracks()) this.pc.addTrack(track, this.options.local);
  }

  private async offer() {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const description = this.pc.localDescription;
      if (description) this.options.send({ description: { type: description.type, sdp: description.sdp } });
    } catch (error) {
      this.fail(error);
    } finally {
      this.makingOffer = false;
    }
  }

  /** A signal from the other party; handled after the ones before it. */
  receive(signal: CallSignalBody): Promise<void> {
    this.chain = this.chain.then(() => this.handle(signal)).catch((error: unknown) => this.fail(error));
    return this.chain;
  }

  private async handle(signal: CallSignalBody) {
    if (this.closed) return;
    if ("description" in signal) return this.described(signal.description);
    if ("candidate" in signal) {
      // The browser may announce a candidate before the description it belongs to has been sent
      // (icecandidate can fire before setLocalDescription's promise continues), so one may come
      // first: it waits for the remote description.
      if (!this.pc.remoteDescription) return void this.waiting.push(signal.candidate);
      await this.addCandidate(signal.candidate);
    }
  }

  private async addCandidate(candidate: RTCIceCandidateInit | null) {
    try {
      // null: the other side has no more candidates (an empty candidate says so to the browser).
      await this.pc.addIceCandidate(candidate ?? undefined);
    } catch {
      // One candidate the browser refuses (one of an offer this side ignored, or of an older ICE
      // generation) is no reason to end the call; a connection that cannot be made is noticed by
      // its state (session.ts).
    }
  }

  private async described(description: Description) {
    const collision = description.type === "offer" && (this.makingOffer || this.pc.signalingState !== "stable");
    this.ignoreOffer = !this.options.polite && collision;
    if (this.ignoreOffer) return;
    // The polite side's setRemoteDescription rolls its own pending offer back by itself.
    await this.pc.setRemoteDescription(description);
    for (const candidate of this.waiting.splice(0)) await this.addCandidate(candidate);
    if (description.type !== "offer") return;
    // The callee sends on the transceivers the caller's first offer made (addTrack reuses them).
    this.addLocalTracks();
    await this.pc.setLocalDescription();
    const answer = this.pc.localDescription;
    if (answer) this.options.send({ description: { type: answer.type, sdp: answer.sdp } });
  }

  /** Sends this track instead of the one of its kind (another microphone or camera), or adds it (video turned on in a voice call: a renegotiation). */
  async useTrack(track: MediaStreamTrack, stream: MediaStream) {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === track.kind);
    if (sender) return sender.replaceTrack(track);
    // A transceiver of this kind that never sent (the callee answered a video call with audio only).
    const idle = this.pc.getTransceivers().find((t) => t.receiver.track.kind === track.kind && !t.sender.track && t.currentDirection !== "stopped");
    if (idle) {
      await idle.sender.replaceTrack(track);
      idle.sender.setStreams?.(stream);
      if (idle.direction === "recvonly" || idle.direction === "inactive") idle.direction = idle.direction === "recvonly" ? "sendrecv" : "sendonly";
      return;
    }
    this.pc.addTrack(track, stream);
  }

  /** New ICE credentials: a renegotiation that looks for a working path again. */
  restartIce() {
    if (!this.closed) this.pc.restartIce();
  }

  getStats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.onconnectionstatechange = null;
    this.pc.ontrack = null;
    this.pc.close();
  }

  private fail(error: unknown) {
    if (!this.closed) this.options.onError(error);
  }
}

function toCandidateInit(candidate: RTCIceCandidate): NonNullable<Extract<CallSignalBody, { candidate: unknown }>["candidate"]> {
  return { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment };
}
