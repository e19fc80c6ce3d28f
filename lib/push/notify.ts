// Who gets a Web Push, decided once per write by whichever process fans that write out: the
// socket server for writes made over the socket and, without Redis, for those the web app
// announces to it; the web app itself for its writes when Redis carries its announcements
// (lib/fanout/announce.ts). A push goes to members who would otherwise miss it: no tab of theirs
// in view (`attending`, from presence), the conversation not muted, a subscribed device. In a
// public room only the members a message mentions are pushed to; calls ring the callee.
//
// Fire and forget: never awaited by a broadcast, never throws; decisions run a few at a time and
// the sends are bounded in send.ts. A failure is logged, and costs a notification, not a message.
import type { ObjectId } from "mongodb";
import { getConversationById } from "../db/conversations";
import { getMembershipsByConversations, getMembershipsOf, type MembershipDoc } from "../db/memberships";
import { getPushSubscriptionsByUsers, type PushSubscriptionDoc } from "../db/push-subscriptions";
import type { InternalEvent } from "../fanout/internal-events";
import type { CallDto, MessageDto } from "../schemas/dto";
import { oid } from "../chat/ids";
import { pushConfig, type PushConfig } from "./config";
import { callPayload, messagePayload } from "./payload";
import { sendPushes, type Push } from "./send";

/** Which of these users have a tab in view, on any socket server. */
export type Attending = (userIds: readonly string[]) => Promise<Set<string>>;

export type PushEvent = { type: "message"; message: MessageDto } | { type: "call"; call: CallDto; callerName: string; ringSeconds: number };

/** A push about a message waits at most a day at the push service; a newer one for the conversation replaces it there (Topic). */
const MESSAGE_TTL_SECONDS = 24 * 60 * 60;
const DECISIONS_IN_FLIGHT = 4;
const DECISIONS_QUEUED = 1_000;

let running = 0;
const queue: (() => Promise<void>)[] = [];

/** The push an announced write may cause: a new message (not a repeat), or none. */
export function pushEventOf(event: InternalEvent): PushEvent | null {
  return event.type === "message:created" && event.duplicate !== true ? { type: "message", message: event.message } : null;
}

/** Decides and sends the pushes for one write, later: the caller's broadcast never waits for it. */
export function notifyAbsent(event: PushEvent, { attending }: { attending: Attending }): void {
  const config = pushConfig();
  if (!config) return;
  if (queue.length >= DECISIONS_QUEUED) return void console.warn(`[push] ${DECISIONS_QUEUED} decisions waiting: one dropped`);
  queue.push(() => decide(config, event, attending));
  drain();
}

function drain(): void {
  while (running < DECISIONS_IN_FLIGHT && queue.length > 0) {
    const task = queue.shift()!;
    running += 1;
    void task()
      .catch((error: Error) => console.warn(`[push] not sent: ${error.message}`))
      .finally(() => {
        running -= 1;
        drain();
      });
  }
}

async function decide(config: PushConfig, event: PushEvent, attending: Attending): Promise<void> {
  const pushes = event.type === "message" ? await messagePushes(event.message, attending) : await callPushes(event, attending);
  if (pushes.length > 0) await sendPushes(config, pushes);
}

/** Of these users, the subscriptions of those not attending, by user. */
async function reachable(userIds: ObjectId[], attending: Attending): Promise<Map<string, PushSubscriptionDoc[]>> {
  if (userIds.length === 0) return new Map();
  // Subscriptions first: most people have none, and then presence is never asked.
  const subscriptions = await getPushSubscriptionsByUsers({ userIds });
  if (subscriptions.length === 0) return new Map();
  const away = new Set(subscriptions.map((s) => s.userId.toHexString()));
  for (const userId of await attending([...away])) away.delete(userId);
  const byUser = new Map<string, PushSubscriptionDoc[]>();
  for (const subscription of subscriptions) {
    const userId = subscription.userId.toHexString();
    if (away.has(userId)) byUser.set(userId, [...(byUser.get(userId) ?? []), subscription]);
  }
  return byUser;
}

async function messagePushes(message: MessageDto, attending: Attending): Promise<Push[]> {
  // Only what people write: group changes and call entries are not worth a buzz.
  if (message.kind !== "text") return [];
  const conversationId = oid(message.conversationId);
  const conversation = await getConversationById({ id: conversationId });
  if (!conversation) return [];
  const mentioned = new Set(message.mentions);
  // A room can be large and is public: only those it names hear of a message there.
  const members: MembershipDoc[] =
    conversation.kind === "room"
      ? await getMembershipsOf({ conversationId, userIds: message.mentions.filter((id) => id !== message.senderId).map(oid) })
      : await getMembershipsByConversations({ conversationIds: [conversationId] });
  const listening = members.filter((m) => !m.muted && m.userId.toHexString() !== message.senderId && m.lastReadSeq < message.seq);
  const byUser = await reachable(listening.map((m) => m.userId), attending);
  const view = { id: message.conversationId, kind: conversation.kind, name: conversation.name };
  return listening.flatMap((member) => {
    const userId = member.userId.toHexString();
    const payload = messagePayload({ message, conversation: view, unread: message.seq - member.lastReadSeq, mentioned: mentioned.has(userId) });
    const urgency = payload.kind === "mention" || conversation.kind === "direct" ? "high" : "normal";
    // A Topic is at most 32 base64url characters: the conversation's 24 hex ones are.
    return (byUser.get(userId) ?? []).map((subscription): Push => ({ subscription, payload, ttlSeconds: MESSAGE_TTL_SECONDS, urgency, topic: message.conversationId }));
  });
}

async function callPushes({ call, callerName, ringSeconds }: Extract<PushEvent, { type: "call" }>, attending: Attending): Promise<Push[]> {
  const calleeId = oid(call.calleeId);
  const [membership] = await getMembershipsOf({ conversationId: oid(call.conversationId), userIds: [calleeId] });
  if (!membership || membership.muted) return [];
  const byUser = await reachable([calleeId], attending);
  const payload = callPayload({ conversationId: call.conversationId, callerName, media: call.media });
  // Worth nothing once it stops ringing.
  return (byUser.get(call.calleeId) ?? []).map((subscription): Push => ({ subscription, payload, ttlSeconds: ringSeconds, urgency: "high" }));
}
