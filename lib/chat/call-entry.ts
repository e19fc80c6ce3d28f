// A call's one entry in its conversation: a `call` message from the caller, written by the server
// when the call ends (lib/chat/calls.ts, or the sweep after a crash), worded for previews.
import { getMessageByClientId } from "../db/messages";
import { markRecorded, type CallDoc } from "../db/calls";
import { formatDuration } from "../calls/duration";
import type { CallMedia, CallOutcome } from "../schemas/call";
import type { MessageDto } from "../schemas/dto";
import { appendMessage } from "./append";
import { toMessageDto } from "./dto";
import { untouched } from "./new-message";
import { raiseOwnReadSeq } from "./receipts";

const LABEL: Record<CallMedia, string> = { audio: "Voice call", video: "Video call" };

/** The entry's sentence, as both people and the conversation list see it (clients may word it for the viewer). */
export function callEntryText(media: CallMedia, outcome: CallOutcome, durationMs: number | null): string {
  const kind = LABEL[media];
  switch (outcome) {
    case "missed":
      return `Missed ${kind.toLowerCase()}`;
    case "declined":
      return `Declined ${kind.toLowerCase()}`;
    case "busy":
      return `${kind} · Busy`;
    case "cancelled":
      return `Cancelled ${kind.toLowerCase()}`;
    case "failed":
      return `${kind} · Couldn't connect`;
    case "completed":
      return `${kind} · ${formatDuration(durationMs ?? 0)}`;
  }
}

/**
 * Writes the call's one entry. Its idempotency key is derived from the call id in a form no
 * client's clientMsgId can take (those are UUIDs), so however many times this runs (a sweep after
 * a crash, two servers at once), the conversation holds one entry per call.
 */
export async function recordCall(call: CallDoc): Promise<MessageDto | null> {
  if (call.state !== "ended" || !call.outcome) return null;
  const durationMs = call.outcome === "completed" && call.connectedAt && call.endedAt ? call.endedAt.getTime() - call.connectedAt.getTime() : null;
  const key = { conversationId: call.conversationId, senderId: call.callerId, clientMsgId: `call:${call._id}` };
  const { message } = await appendMessage({
    message: {
      ...key,
      senderName: call.callerName,
      kind: "call",
      text: callEntryText(call.media, call.outcome, durationMs),
      call: { id: call._id, media: call.media, outcome: call.outcome, durationMs },
      ...untouched(),
    },
    onConflict: async () => {
      const existing = await getMessageByClientId(key);
      return existing ? { message: toMessageDto(existing), duplicate: true } : null;
    },
  });
  // The caller has seen their own call; the callee has not, until they open the conversation.
  await raiseOwnReadSeq({ conversationId: call.conversationId, userId: call.callerId, seq: message.seq });
  await markRecorded({ id: call._id });
  return message;
}
