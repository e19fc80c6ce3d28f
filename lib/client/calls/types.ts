// What the call controller (controller.ts) holds and what it needs from its surroundings.
import type { Ack } from "../../realtime/events";
import type { CallMedia } from "../../schemas/call";
import type { MediaProblem } from "./media";
import type { SessionOptions, SessionView } from "./session";

export type CallPhase = "incoming" | "outgoing" | "connecting" | "active" | "ended";

export type CurrentCall = {
  id: string;
  conversationId: string;
  peer: { id: string; name: string };
  role: "caller" | "callee";
  media: CallMedia;
  phase: CallPhase;
  /** ISO time the call turned active (the timer counts from it). */
  connectedAt: string | null;
  /** The media could not be had: why, and whether audio alone may do. */
  problem: MediaProblem | null;
  /** A request is under way (accepting, placing the call). */
  busy: boolean;
  session: SessionView | null;
  /** This tab's own camera and microphone before the call connects (a caller sees themself while it rings). */
  preview: MediaStream | null;
  /** How it ended, for the moment it stays on screen. */
  ended: { message: string } | null;
};

export type CallsState = {
  call: CurrentCall | null;
  /** A call of mine that another tab of mine holds. */
  elsewhere: { callId: string; conversationId: string } | null;
  /** A quiet line ("Answered on another device"), for a moment. */
  notice: string | null;
};

type Emit = <T>(event: "call:invite" | "call:answer" | "call:reject" | "call:hangup" | "call:resume" | "call:connected" | "call:signal", payload: unknown) => Promise<Ack<T>>;

export type ControllerDeps = {
  me: string;
  emit: Emit;
  peerOf: (conversationId: string) => { id: string; name: string } | null;
  /** The conversation is muted for me (or calls should be silent): no ring tone. */
  silent: (conversationId: string) => boolean;
  iceConfig: () => Promise<RTCConfiguration>;
  openMedia: (media: CallMedia) => Promise<MediaStream>;
  newCallId: () => string;
  tone?: { start(kind: "ring" | "ringback"): void; stop(): void };
  /** A browser notification for an incoming call while the tab is hidden; returns how to take it away. */
  alert?: (call: CurrentCall) => (() => void) | void;
  session?: Pick<SessionOptions, "createPeer" | "getUserMedia" | "timing">;
  timing?: Partial<{ endedShowMs: number; noticeMs: number; socketLostMs: number }>;
};
