// Jumping to a quoted message: older pages are loaded until the thread holds it (or has no more).
import type { ChatEngine } from "./engine";

const ROUNDS_MAX = 50;

/** Whether the thread now holds the message at `seq`. */
export async function loadUntil(engine: ChatEngine, conversationId: string, seq: number): Promise<boolean> {
  for (let round = 0; round < ROUNDS_MAX; round += 1) {
    const thread = engine.getState().threads[conversationId];
    if (!thread) return false;
    if (thread.messages.some((m) => m.seq === seq)) return true;
    const oldest = thread.messages[0]?.seq;
    if (!thread.hasMore || (oldest !== undefined && oldest < seq)) return false;
    await engine.loadOlder(conversationId);
    if (engine.getState().threads[conversationId]?.messages[0]?.seq === oldest) return false;
  }
  return false;
}
