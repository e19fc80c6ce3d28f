// A call once both sides have said yes: the local tracks, the peer connection (peer.ts), what each
// side shows the other (muted, camera off), device switching, the connection-quality hint, and
// keeping the connection alive: ICE restarts when it fails, giving up with a reason when they do
// not help. It reports every change through `changed`; controller.ts owns the call's lifecycle.
import type { CallSignalBody } from "../../schemas/call";
import { PeerLink } from "./peer";
import { rateQuality, sampleStats, type Quality, type StatsSample } from "./quality";

export type SessionView = {
  local: MediaStream;
  remote: MediaStream | null;
  muted: boolean;
  cameraOff: boolean;
  /** This side sends video (a video call, or a voice call whose camera was turned on). */
  sendsVideo: boolean;
  remoteMuted: boolean;
  remoteCameraOff: boolean;
  /** ICE lost its path (disconnected, or restarting after a failure). */
  reconnecting: boolean;
  quality: Quality | null;
  connected: boolean;
};

export type SessionOptions = {
  polite: boolean;
  local: MediaStream;
  config: RTCConfiguration;
  send: (signal: CallSignalBody) => void;
  /** The connection reached "connected" for the first time. */
  onFirstConnected: () => void;
  /** It could not connect, or came apart for good: "ice", or "media" when negotiation itself broke. */
  onGiveUp: (why: "ice" | "media") => void;
  changed: () => void;
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  createPeer?: (config: RTCConfiguration) => RTCPeerConnection;
  /** How long a connection may stay "disconnected" before an ICE restart, and how long it may take to connect at all. */
  timing?: Partial<typeof TIMING>;
};

const TIMING = { disconnectedMs: 3_000, connectMs: 15_000, statsMs: 2_000, restartsMax: 2 };

export class CallSession {
  private readonly peer: PeerLink;
  private readonly timing: typeof TIMING;
  view: SessionView;
  private everConnected = false;
  private restarts = 0;
  private disconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private lastSample: StatsSample | null = null;
  private closed = false;

  constructor(private readonly options: SessionOptions) {
    this.timing = { ...TIMING, ...options.timing };
    const local = options.local;
    this.view = {
      local,
      remote: null,
      muted: false,
      cameraOff: false,
      sendsVideo: local.getVideoTracks().length > 0,
      remoteMuted: false,
      remoteCameraOff: false,
      reconnecting: false,
      quality: null,
      connected: false,
    };
    this.peer = new PeerLink({
      polite: options.polite,
      config: options.config,
      local,
      send: options.send,
      createPeer: options.createPeer,
      onRemote: (remote) => this.update({ remote }),
      onState: (state) => this.connectionChanged(state),
      onError: () => this.giveUp("media"),
      onNoCandidates: () => this.giveUp("ice"),
    });
    this.watchConnecting();
  }

  get pc(): RTCPeerConnection {
    return this.peer.pc;
  }

  receive(signal: CallSignalBody) {
    if ("media" in signal) return this.update({ remoteMuted: signal.media.muted, remoteCameraOff: signal.media.cameraOff });
    void this.peer.receive(signal);
  }

  private update(patch: Partial<SessionView>) {
    if (this.closed) return;
    this.view = { ...this.view, ...patch };
    this.options.changed();
  }

  private connectionChanged(state: RTCPeerConnectionState) {
    clearTimeout(this.disconnectTimer);
    if (state === "connected") {
      clearTimeout(this.connectTimer);
      this.restarts = 0;
      this.update({ connected: true, reconnecting: false });
      if (!this.everConnected) {
        this.everConnected = true;
        this.options.onFirstConnected();
        this.sendMediaState();
        this.watchStats();
      }
    } else if (state === "disconnected") {
      // Often back by itself within a second or two (a Wi-Fi hiccup); if not, look for a new path.
      this.update({ reconnecting: this.everConnected });
      this.disconnectTimer = setTimeout(() => this.restartIce(), this.timing.disconnectedMs);
    } else if (state === "failed") {
      this.update({ reconnecting: this.everConnected });
      this.restartIce();
    }
  }

  /** A fresh path: after a failure, after a reconnect of the socket, or when connecting takes too long. Gives up after a few. */
  restartIce() {
    if (this.closed) return;
    if (this.restarts >= this.timing.restartsMax) return this.giveUp("ice");
    this.restarts += 1;
    this.peer.restartIce();
    this.watchConnecting();
  }

  private watchConnecting() {
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.peer.pc.connectionState !== "connected") this.restartIce();
    }, this.timing.connectMs);
  }

  private watchStats() {
    this.statsTimer = setInterval(() => {
      void this.peer.getStats().then(
        (report) => {
          const sample = sampleStats(report as unknown as Parameters<typeof sampleStats>[0]);
          const quality = rateQuality(this.lastSample, sample);
          this.lastSample = sample;
          if (quality !== this.view.quality) this.update({ quality });
        },
        () => undefined,
      );
    }, this.timing.statsMs);
  }

  private sendMediaState() {
    this.options.send({ media: { muted: this.view.muted, cameraOff: this.view.cameraOff || !this.view.sendsVideo } });
  }

  setMuted(muted: boolean) {
    for (const track of this.view.local.getAudioTracks()) track.enabled = !muted;
    this.update({ muted });
    this.sendMediaState();
  }

  /** Off: the camera's track stops sending frames. On in a call without video: a camera is opened and added (a renegotiation). */
  async setCameraOff(cameraOff: boolean) {
    const video = this.view.local.getVideoTracks()[0];
    if (video) {
      video.enabled = !cameraOff;
      this.update({ cameraOff });
    } else if (!cameraOff) {
      const stream = await this.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } } });
      const track = stream.getVideoTracks()[0];
      if (!track || this.closed) return void track?.stop();
      const local = new MediaStream([...this.view.local.getTracks(), track]);
      await this.peer.useTrack(track, local);
      this.update({ local, cameraOff: false, sendsVideo: true });
    }
    this.sendMediaState();
  }

  /** Another microphone or camera, in place of the one in use (no renegotiation: the sender's track is replaced). */
  async switchDevice(kind: "audio" | "video", deviceId: string) {
    const stream = await this.getUserMedia(kind === "audio" ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } });
    const track = kind === "audio" ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (!track || this.closed) return void track?.stop();
    const old = kind === "audio" ? this.view.local.getAudioTracks()[0] : this.view.local.getVideoTracks()[0];
    track.enabled = old ? old.enabled : true;
    await this.peer.useTrack(track, this.view.local);
    old?.stop();
    const local = new MediaStream([...this.view.local.getTracks().filter((t) => t !== old), track]);
    this.update({ local, ...(kind === "video" ? { sendsVideo: true } : {}) });
  }

  /** The device id in use for a kind, to mark it in a picker. */
  deviceInUse(kind: "audio" | "video"): string | undefined {
    const track = kind === "audio" ? this.view.local.getAudioTracks()[0] : this.view.local.getVideoTracks()[0];
    return track?.getSettings().deviceId;
  }

  private getUserMedia(constraints: MediaStreamConstraints) {
    const get = this.options.getUserMedia ?? ((c: MediaStreamConstraints) => navigator.mediaDevices.getUserMedia(c));
    return get(constraints);
  }

  private giveUp(why: "ice" | "media") {
    if (this.closed) return;
    this.options.onGiveUp(why);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    clearTimeout(this.connectTimer);
    clearInterval(this.statsTimer);
    this.peer.close();
    for (const track of this.view.local.getTracks()) track.stop();
  }
}

