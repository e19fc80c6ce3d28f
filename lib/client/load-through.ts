// Paging back to a given message (a pin, a quote, the first unread): used by the page itself, so
// kept apart from the engine's request helpers (message-requests.ts).
import type { MessageDto } from "../schemas/dto";
import { PAGE_MAX } from "../schemas/limits";

/**
 * Loads older pages until the thread holds `seq` (a pinned or quoted message, the first unread),
 * or there is no more: each page as large as the gap, up to PAGE_MAX, so 240 unread take three
 * requests rather than five.
 */
export async function loadThrough(
  engine: { getState(): { threads: Record<string, { messages: MessageDto[]; hasMore: boolean; loaded: boolean }> }; loadOlder(id: string, limit?: number): Promise<void> },
  conversationId: string,
  seq: number,
): Promise<boolean> {
  for (let page = 0; page < 1_000; page += 1) {
    const thread = engine.getState().threads[conversationId];
    if (!thread?.loaded) return false;
    const oldest = thread.messages[0]?.seq ?? 0;
    if (oldest <= seq) return true;
    if (!thread.hasMore) return false;
    await engine.loadOlder(conversationId, Math.min(PAGE_MAX, oldest - seq));
    // No progress (the request failed): stop rather than spin.
    if ((engine.getState().threads[conversationId]?.messages[0]?.seq ?? 0) === oldest) return false;
  }
  return false;
}
