// What GET /api/calls/ice answers: the browser's RTCConfiguration for a call, parsed by the
// browser's call engine before it builds a peer connection.
import { z } from "./zod";

export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

export const ICE_TRANSPORT_POLICIES = ["all", "relay"] as const;

export const iceConfigSchema = z.object({
  iceServers: z.array(iceServerSchema),
  iceTransportPolicy: z.enum(ICE_TRANSPORT_POLICIES),
  /** When the minted TURN credentials stop working (ISO 8601); null when there are none. Fetch again before then. */
  expiresAt: z.iso.datetime().nullable(),
});
export type IceConfig = z.infer<typeof iceConfigSchema>;
