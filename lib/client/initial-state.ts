// The chat state before any event: what the server rendered. Kept apart from the reducer
// (store.ts), and from the presence reducer (its empty state is written out here), so the chat
// page can show it without loading the engine (components/chat/use-chat.ts).
import type { ConversationDto } from "../schemas/dto";
import { byActivity, countedThrough, type ChatState } from "./chat-state";
import type { ConnectionState } from "./realtime-client";

export function initialChatState({
  me,
  conversations = [],
  activeId = null,
  connection = "connecting",
}: {
  me: string;
  /** null: the server could not read the list (the engine loads it once connected). */
  conversations?: ConversationDto[] | null;
  activeId?: string | null;
  connection?: ConnectionState;
}): ChatState {
  return { me, activeId, conversations: [...(conversations ?? [])].sort(byActivity), listed: conversations !== null, threads: {}, counted: countedThrough(conversations ?? []), pending: [], connection, presence: { users: {}, typing: {}, sending: {} } };
}
