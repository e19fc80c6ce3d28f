// Calls: what the browser may ask of the socket server (DESIGN.md "Calls"). Every request names
// the call by its id; once a tab takes part (it placed the call, or answered it) it also gives the
// `partyId` the server handed it then: the capability that lets that tab, and no other, signal,
// hang up and resume. A third tab of the same person learns of the call but holds no partyId.
import { z } from "./zod";
import { idSchema } from "./common";

export const CALL_MEDIA = ["audio", "video"] as const;
export type CallMedia = (typeof CALL_MEDIA)[number];

const mediaSchema = z.enum(CALL_MEDIA, { error: 'media must be "audio" or "video"' });
/** The caller makes it once per call (a UUID), so a retried invite cannot ring twice. */
export const callIdSchema = z.uuid({ error: "callId must be a UUID" });
/** Handed out by the server (base64url of 18 random bytes). */
export const partyIdSchema = z.string().regex(/^[A-Za-z0-9_-]{24}$/, { error: "partyId is not one this server gave out" });

export const callInviteSchema = z.object({ conversationId: idSchema, callId: callIdSchema, media: mediaSchema });
export type CallInviteInput = z.infer<typeof callInviteSchema>;

/** `media`: what the answering tab sends ("audio" for "Accept with audio only"). */
export const callAnswerSchema = z.object({ callId: callIdSchema, media: mediaSchema });
export type CallAnswerInput = z.infer<typeof callAnswerSchema>;

/** Declining, from any of the callee's tabs while it rings. */
export const callRejectSchema = z.object({ callId: callIdSchema });
export type CallRejectInput = z.infer<typeof callRejectSchema>;

/**
 * Leaving the call (a caller before an answer: cancelling). `failed`: the tab gives up because the
 * connection could not be made ("ice") or it could not get a microphone or camera ("media").
 */
export const callHangupSchema = z.object({ callId: callIdSchema, partyId: partyIdSchema, failed: z.enum(["ice", "media"]).optional() });
export type CallHangupInput = z.infer<typeof callHangupSchema>;

/** The party's socket came back (a reconnect): signals go to it again, and the grace timer stops. */
export const callResumeSchema = z.object({ callId: callIdSchema, partyId: partyIdSchema });
export type CallResumeInput = z.infer<typeof callResumeSchema>;

/** The party's peer connection reached "connected" for the first time: the call is active and its duration starts. */
export const callConnectedSchema = callResumeSchema;
export type CallConnectedInput = CallResumeInput;

// SDP of a video call with many codecs runs to about 10 kB; well under the socket's 64 kB payload cap.
export const SDP_MAX = 32_000;
const CANDIDATE_MAX = 1_000;

/**
 * What one party tells the other, relayed as it is: a session description (perfect negotiation;
 * either side may offer), an ICE candidate (null: end of candidates), or its own media state so
 * the other side can show "muted" and "camera off".
 */
export const callSignalBodySchema = z.union([
  z.object({ description: z.object({ type: z.enum(["offer", "answer", "pranswer", "rollback"]), sdp: z.string().max(SDP_MAX, { error: `SDP is longer than ${SDP_MAX} characters` }) }) }),
  z.object({
    candidate: z
      .object({
        candidate: z.string().max(CANDIDATE_MAX),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable(),
  }),
  z.object({ media: z.object({ muted: z.boolean(), cameraOff: z.boolean() }) }),
]);
export type CallSignalBody = z.infer<typeof callSignalBodySchema>;

export const callSignalSchema = z.object({ callId: callIdSchema, partyId: partyIdSchema, signal: callSignalBodySchema });
export type CallSignalInput = z.infer<typeof callSignalSchema>;

export const CALL_STATES = ["ringing", "connecting", "active", "ended"] as const;
export type CallState = (typeof CALL_STATES)[number];

/**
 * How a call ended; each leaves one entry in the conversation. `completed`: it was active (the
 * entry shows its duration); `failed`: it could not connect, a party's tab or connection went and
 * did not come back, or the server that held it stopped.
 */
export const CALL_OUTCOMES = ["missed", "declined", "busy", "cancelled", "failed", "completed"] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
