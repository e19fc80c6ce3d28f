// Client state of the chat: conversations, loaded threads, and the messages still on their way.
// Pure reducer, so every path (socket broadcast, ack, HTTP poll, sync) converges the same way.
import type { ConversationDto, MessageDto, MessagePage } from "@/lib/schemas/dto";

export type Pending = {
  clientMsgId: string;
  conversationId: string;
  text: string;
  status: "sending" | "failed";
  error: string | null;
  createdAt: string;
};

/**
 * The messages this tab holds for a conversation. `loaded` once a page of history came in;
 * before that it only holds what arrived live, so "is this message new here" is always exact.
 */
export type Thread = { messages: MessageDto[]; hasMore: boolean; version: number; loaded: boolean };

const emptyThread: Thread = { messages: [], hasMore: true, version: 0, loaded: false };

// What an unopened conversation keeps of its live messages: enough to count them exactly.
const LIVE_BUFFER_MAX = 500;

export type ChatState = {
  me: string;
  activeId: string | null;
  conversations: ConversationDto[];
  threads: Record<string, Thread>;
  pending: Pending[];
};

export type ChatAction =
  | { type: "conversations/set"; conversations: ConversationDto[] }
  | { type: "conversation/upsert"; conversation: ConversationDto }
  | { type: "active/set"; id: string | null }
  | { type: "thread/loaded"; conversationId: string; page: MessagePage }
  | { type: "thread/older"; conversationId: string; page: MessagePage }
  | { type: "messages/apply"; messages: MessageDto[]; countUnread: boolean }
  | { type: "thread/version"; conversationId: string; version: number }
  | { type: "pending/add"; pending: Pending }
  | { type: "pending/status"; clientMsgId: string; status: Pending["status"]; error: string | null }
  | { type: "read"; conversationId: string; seq: number };

const byActivity = (a: ConversationDto, b: ConversationDto) => b.lastActivityAt.localeCompare(a.lastActivityAt);

function mergeMessages(current: MessageDto[], incoming: MessageDto[]): MessageDto[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    // A newer version (edit, delete, reaction) replaces an older one; never the reverse.
    if (!known || known.version <= message.version) byId.set(message.id, message);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function applyToConversation(
  conversation: ConversationDto,
  message: MessageDto,
  { me, isNew, countUnread }: { me: string; isNew: boolean; countUnread: boolean },
): ConversationDto {
  const fromOther = message.senderId !== me;
  const newest = !conversation.lastMessage || message.seq >= conversation.lastMessage.seq;
  return {
    ...conversation,
    lastSeq: Math.max(conversation.lastSeq, message.seq),
    lastMessage: newest
      ? {
          seq: message.seq,
          senderId: message.senderId,
          senderName: message.senderName,
          preview: message.text.replace(/\s+/g, " ").slice(0, 120),
          createdAt: message.createdAt,
        }
      : conversation.lastMessage,
    lastActivityAt: message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt,
    // Counted once per message this tab had not seen, in whatever order messages arrive.
    unreadCount:
      countUnread && isNew && fromOther && message.seq > conversation.lastReadSeq
        ? conversation.unreadCount + 1
        : conversation.unreadCount,
    lastReadSeq: fromOther ? conversation.lastReadSeq : Math.max(conversation.lastReadSeq, message.seq),
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "conversations/set":
      return { ...state, conversations: [...action.conversations].sort(byActivity) };
    case "conversation/upsert": {
      const others = state.conversations.filter((c) => c.id !== action.conversation.id);
      return { ...state, conversations: [action.conversation, ...others].sort(byActivity) };
    }
    case "active/set":
      return { ...state, activeId: action.id };
    case "thread/loaded": {
      const existing = state.threads[action.conversationId];
      const wasLoaded = existing?.loaded ?? false;
      // Live messages older than the first page could sit across a gap of missed ones: the view
      // shows one contiguous stretch, and "Load older" fetches the rest in order.
      const oldest = action.page.messages[0]?.seq ?? 0;
      const kept = wasLoaded ? existing!.messages : (existing?.messages ?? []).filter((m) => m.seq >= oldest);
      const thread: Thread = {
        messages: mergeMessages(kept, action.page.messages),
        hasMore: wasLoaded ? existing!.hasMore : action.page.hasMore,
        version: Math.max(wasLoaded ? existing!.version : 0, action.page.version),
        loaded: true,
      };
      return { ...state, threads: { ...state.threads, [action.conversationId]: thread } };
    }
    case "thread/older": {
      const existing = state.threads[action.conversationId];
      if (!existing?.loaded) return state;
      const thread = { ...existing, messages: mergeMessages(existing.messages, action.page.messages), hasMore: action.page.hasMore };
      return { ...state, threads: { ...state.threads, [action.conversationId]: thread } };
    }
    case "thread/version": {
      const existing = state.threads[action.conversationId];
      if (!existing?.loaded || existing.version >= action.version) return state;
      return { ...state, threads: { ...state.threads, [action.conversationId]: { ...existing, version: action.version } } };
    }
    case "messages/apply": {
      let { threads, conversations } = state;
      const delivered = new Set<string>();
      for (const message of action.messages) {
        const thread = threads[message.conversationId] ?? emptyThread;
        const isNew = !thread.messages.some((m) => m.id === message.id);
        const merged = mergeMessages(thread.messages, [message]);
        const messages = thread.loaded ? merged : merged.slice(-LIVE_BUFFER_MAX);
        threads = { ...threads, [message.conversationId]: { ...thread, messages } };
        const context = { me: state.me, isNew, countUnread: action.countUnread };
        conversations = conversations.map((c) => (c.id === message.conversationId ? applyToConversation(c, message, context) : c));
        if (message.senderId === state.me) delivered.add(message.clientMsgId);
      }
      const pending = delivered.size > 0 ? state.pending.filter((p) => !delivered.has(p.clientMsgId)) : state.pending;
      return { ...state, threads, conversations: [...conversations].sort(byActivity), pending };
    }
    case "pending/add":
      return { ...state, pending: [...state.pending, action.pending] };
    case "pending/status":
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientMsgId === action.clientMsgId ? { ...p, status: action.status, error: action.error } : p)),
      };
    case "read":
      return {
        ...state,
        conversations: state.conversations.map((c) =>
          c.id === action.conversationId && action.seq >= c.lastReadSeq
            ? { ...c, lastReadSeq: action.seq, unreadCount: action.seq >= c.lastSeq ? 0 : c.unreadCount }
            : c,
        ),
      };
  }
}

export function conversationTitle(conversation: ConversationDto, me: string): string {
  if (conversation.kind === "group") return conversation.name ?? "Group";
  const other = conversation.members.find((m) => m.id !== me);
  return other?.name ?? "Just you";
}
