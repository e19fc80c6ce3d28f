// Sends Web Push messages: web-push signs the VAPID JWT (RFC 8292) and encrypts the payload
// (RFC 8291, aes128gcm); the POST itself is ours, so it has a deadline, never follows a redirect,
// and can reach the test suite's local push service over plain HTTP on loopback (web-push's own
// sender speaks https only).
//
// One attempt per push. A push service that answers 429 or 5xx is logged and not retried: the
// next message of the conversation sends a newer push anyway, and a missed one costs a
// notification, never a message (the chat itself converges through sync). 404 and 410 mean the
// browser unsubscribed or the subscription expired: it is deleted.
import webpush from "web-push";
import { deleteExpiredPushSubscription, markPushed, type PushSubscriptionDoc } from "../db/push-subscriptions";
import type { PushPayload } from "../schemas/push";
import type { PushConfig } from "./config";

const SEND_TIMEOUT_MS = 10_000;
/** Pushes in flight at once from this process; more wait their turn (see `limit`). */
const SENDS_IN_FLIGHT = 8;
/** Pushes waiting at most; past it new ones are dropped (and said so), so a stuck push service cannot grow memory. */
const SENDS_QUEUED = 2_000;

export type Push = { subscription: PushSubscriptionDoc; payload: PushPayload; ttlSeconds: number; urgency: "normal" | "high"; topic?: string };
export type PushOutcome = "sent" | "gone" | "failed";

let inFlight = 0;
const waiting: (() => void)[] = [];
let droppedSince = 0;

/** Runs `task` when fewer than SENDS_IN_FLIGHT are running; null (not run) when the queue is full. */
async function limit<T>(task: () => Promise<T>): Promise<T | null> {
  if (inFlight >= SENDS_IN_FLIGHT) {
    if (waiting.length >= SENDS_QUEUED) {
      if (droppedSince++ === 0) console.warn(`[push] more than ${SENDS_QUEUED} pushes waiting: dropping new ones`);
      return null;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  inFlight += 1;
  droppedSince = 0;
  try {
    return await task();
  } finally {
    inFlight -= 1;
    waiting.shift()?.();
  }
}

/** Sends each push; resolves when all are done, never rejects. */
export async function sendPushes(config: PushConfig, pushes: Push[]): Promise<PushOutcome[]> {
  const outcomes = await Promise.all(pushes.map((push) => limit(() => sendOne(config, push)).then((outcome) => outcome ?? "failed")));
  const sent = pushes.filter((_, i) => outcomes[i] === "sent").map((push) => push.subscription._id);
  await markPushed({ ids: sent, at: new Date() }).catch((error: Error) => console.warn(`[push] lastPushAt not stored: ${error.message}`));
  return outcomes;
}

async function sendOne(config: PushConfig, { subscription, payload, ttlSeconds, urgency, topic }: Push): Promise<PushOutcome> {
  const id = subscription._id.toHexString();
  let status: number;
  try {
    const request = webpush.generateRequestDetails({ endpoint: subscription.endpoint, keys: subscription.keys }, JSON.stringify(payload), {
      vapidDetails: { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey },
      contentEncoding: "aes128gcm",
      TTL: ttlSeconds,
      urgency,
      ...(topic ? { topic } : {}),
    });
    const response = await fetch(request.endpoint, {
      method: "POST",
      headers: request.headers as Record<string, string>,
      body: request.body ? new Uint8Array(request.body) : null,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.body?.cancel();
    status = response.status;
  } catch (error) {
    // The push service is unreachable, slow, or the stored keys are unusable: logged, not retried.
    console.warn(`[push] subscription=${id} not sent: ${(error as Error).message}`);
    return "failed";
  }
  if (status >= 200 && status < 300) return "sent";
  if (status === 404 || status === 410) {
    await deleteExpiredPushSubscription({ id: subscription._id, p256dh: subscription.keys.p256dh }).catch((error: Error) => console.warn(`[push] subscription=${id} gone, not deleted: ${error.message}`));
    return "gone";
  }
  console.warn(`[push] subscription=${id} push service answered ${status}${status === 429 || status >= 500 ? " (not retried)" : ""}`);
  return "failed";
}
