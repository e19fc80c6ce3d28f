// Web Push subscriptions as the browser hands them over (PushSubscription.toJSON()), and the
// shapes the push routes answer with. zod only: the browser imports the types.
import { z } from "./zod";
import { idSchema } from "./common";

/** Real push services' endpoints are a few hundred characters; this leaves room and bounds the unique index's keys. */
export const PUSH_ENDPOINT_MAX = 1024;
/** A user's devices at most; subscribing one more forgets the oldest (a browser reinstalled, a phone replaced). */
export const PUSH_DEVICES_MAX = 20;

// base64url without padding: the 65-byte uncompressed P-256 point (0x04 first, so "B") and the 16-byte auth secret.
const P256DH = /^B[A-Za-z0-9_-]{86}$/;
const AUTH = /^[A-Za-z0-9_-]{22}$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Where a push may be sent: https to a named host. Never an IP literal, a single-label name or
 * localhost, so a subscription cannot point the server's POSTs at its own network (the push is
 * a request this server makes on a user's say-so). `allowLoopback` (development, and the test
 * suite's local push service): plain http to this machine as well.
 */
export function isPushEndpoint(value: string, { allowLoopback }: { allowLoopback: boolean }): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (allowLoopback && LOOPBACK_HOSTS.has(url.hostname) && (url.protocol === "http:" || url.protocol === "https:")) return true;
  if (url.protocol !== "https:") return false;
  const host = url.hostname;
  const ipLiteral = host.startsWith("[") || /^[\d.]+$/.test(host);
  return !ipLiteral && host.includes(".") && !host.endsWith(".localhost") && host !== "localhost";
}

export function pushSubscriptionSchema({ allowLoopback }: { allowLoopback: boolean }) {
  return z.object({
    endpoint: z
      .string({ error: "endpoint must be a string" })
      .max(PUSH_ENDPOINT_MAX, { error: `endpoint must be at most ${PUSH_ENDPOINT_MAX} characters` })
      .refine((value) => isPushEndpoint(value, { allowLoopback }), { error: "endpoint must be an https URL of a push service" }),
    keys: z.object(
      {
        p256dh: z.string({ error: "keys.p256dh must be a string" }).regex(P256DH, { error: "keys.p256dh must be a P-256 public key (65 bytes, base64url)" }),
        auth: z.string({ error: "keys.auth must be a string" }).regex(AUTH, { error: "keys.auth must be 16 bytes in base64url" }),
      },
      { error: "keys must be an object with p256dh and auth" },
    ),
    // PushSubscription.toJSON() includes it; push services here do not expire subscriptions by date.
    expirationTime: z.number().nullable().optional(),
  }, { error: "the subscription must be an object" });
}
export type PushSubscriptionInput = z.infer<ReturnType<typeof pushSubscriptionSchema>>;

export const pushDeviceRefSchema = z.object({ id: idSchema });

/** One of the user's devices. `endpoint` lets a browser tell which of them it is. */
export const pushDeviceDtoSchema = z
  .strictObject({
    id: z.string(),
    device: z.string().meta({ description: "A label from the browser's user agent, e.g. \"Chrome on Linux\"." }),
    endpoint: z.string(),
    createdAt: z.string(),
    lastPushAt: z.string().nullable(),
  })
  .meta({ description: "A device that receives push notifications." });
export type PushDeviceDto = z.infer<typeof pushDeviceDtoSchema>;

/** GET /api/push/key: the server's VAPID public key, or that push is off here. */
export const pushKeyDtoSchema = z.union([z.strictObject({ enabled: z.literal(true), publicKey: z.string() }), z.strictObject({ enabled: z.literal(false) })]);
export type PushKeyDto = z.infer<typeof pushKeyDtoSchema>;

/**
 * What a push carries to the service worker (public/sw.js), kept well under the 4 KB a push
 * service accepts. `count`: the member's unread messages in the conversation when it was sent.
 */
export type PushPayload = {
  kind: "message" | "mention" | "call";
  conversationId: string;
  title: string;
  body: string;
  count: number;
  /** The notification's tag: one per conversation (a newer one replaces it), calls apart. */
  tag: string;
  url: string;
};
