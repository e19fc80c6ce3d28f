import type { OutboxEntry, OutboxItemState } from "./outbox";
import type { Pending } from "./chat-state";

/** An outbox entry as the UI shows it. */
export function toPending(entry: OutboxEntry, state: OutboxItemState): Pending {
  return {
    clientMsgId: entry.clientMsgId,
    conversationId: entry.conversationId,
    text: entry.text,
    createdAt: entry.createdAt,
    order: entry.order,
    status: state.status,
    error: state.error,
    retryable: state.retryable,
    ...(entry.files?.length ? { files: entry.files } : {}),
  };
}
