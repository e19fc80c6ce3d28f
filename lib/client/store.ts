// Client state of the chat: conversations, loaded threads, and the messages still on their way.
// Pure reducer, so every path (socket broadcast, ack, HTTP poll, sync) converges the same way.
import { DELETED_PREVIEW, HIDDEN_PREVIEW, messagePreview } from "../schemas/previews";
import type { ConversationDto, ConversationSummary, MessageDto, MessagePage } from "../schemas/dto";
import { byActivity, countedThrough, type ChatState, type Pending, type Thread } from "./chat-state";
import { presenceReducer, type PresenceAction } from "./presence-store";
import type { ConnectionState } from "./realtime-client";
import type { UploadProgress } from "./outbox-files";

const emptyThread: Thread = { messages: [], hasMore: true, version: 0, loaded: false, pinned: [] };

// What an unopened conversation keeps of its live messages: enough to count them exactly.
const LIVE_BUFFER_MAX = 500;

export type ChatAction =
  | { type: "conversations/set"; conversations: ConversationDto[] }
  | { type: "conversation/upsert"; conversation: ConversationDto }
  | { type: "conversation/updated"; conversation: ConversationSummary }
  | { type: "conversation/removed"; conversationId: string }
  | { type: "active/set"; id: string | null }
  | { type: "thread/loaded"; conversationId: string; page: MessagePage }
  | { type: "thread/older"; conversationId: string; page: MessagePage }
  /** The held stretch replaced by this page: a window around a message, or the newest page again. */
  | { type: "thread/window"; conversationId: string; page: MessagePage }
  /** The page after the held stretch's newest message (history's `after`). */
  | { type: "thread/newer"; conversationId: string; page: MessagePage }
  | { type: "messages/apply"; messages: MessageDto[]; countUnread: boolean }
  | { type: "thread/version"; conversationId: string; version: number }
  | { type: "pending/upsert"; pending: Pending }
  | { type: "pending/remove"; clientMsgId: string }
  | { type: "pending/progress"; clientMsgId: string; progress: UploadProgress | null }
  | { type: "read"; conversationId: string; seq: number }
  | { type: "conversation/marked"; conversationId: string; markedUnread: boolean }
  | { type: "conversation/muted"; conversationId: string; muted: boolean }
  | { type: "receipt"; conversationId: string; userId: string; deliveredSeq: number; readSeq: number }
  | { type: "connection"; state: ConnectionState }
  | PresenceAction;

function mergeMessages(current: MessageDto[], incoming: MessageDto[]): MessageDto[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    // A newer version (edit, delete, reaction) replaces an older one; never the reverse. Deleting
    // for me cannot be undone, and a later change heard in the room does not carry it: it sticks.
    // Paths that cannot resolve a reply's preview send it as null: keep the one already known.
    const keepPreview = known?.replyPreview && !message.replyPreview && known.replyTo === message.replyTo;
    if (!known || known.version <= message.version) {
      const next = keepPreview ? { ...message, replyPreview: known.replyPreview } : message;
      byId.set(message.id, known?.hidden && !next.hidden ? hide(next) : next);
    }
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

const hide = (message: MessageDto): MessageDto => ({ ...message, hidden: true, text: "", reactions: [], pinnedAt: null, pinnedBy: null });

/** The pinned bar: this message added, moved or removed as its pin says. */
function updatePins(pinned: MessageDto[], message: MessageDto): MessageDto[] {
  const known = pinned.find((m) => m.id === message.id);
  if (known && known.version > message.version) return pinned;
  const others = pinned.filter((m) => m.id !== message.id);
  if (message.pinnedAt === null || message.hidden || known?.hidden) return known ? others : pinned;
  return [...others, message].sort((a, b) => (b.pinnedAt ?? "").localeCompare(a.pinnedAt ?? ""));
}

function applyToConversation(
  conversation: ConversationDto,
  message: MessageDto,
  { me, isNew, countUnread, counted }: { me: string; isNew: boolean; countUnread: boolean; counted: number },
): ConversationDto {
  const fromOther = message.senderId !== me;
  // Counted once per message this tab had not seen and the server's count did not already hold,
  // in whatever order messages arrive.
  const unread = countUnread && isNew && fromOther && message.seq > conversation.lastReadSeq && message.seq > counted;
  const newest = !conversation.lastMessage || message.seq >= conversation.lastMessage.seq;
  return {
    ...conversation,
    lastSeq: Math.max(conversation.lastSeq, message.seq),
    lastMessage: newest && !message.hidden
      ? {
          seq: message.seq,
          kind: message.kind,
          senderId: message.senderId,
          senderName: message.senderName,
          preview: message.deletedAt ? DELETED_PREVIEW : messagePreview(message),
          createdAt: message.createdAt,
        }
      : message.hidden && conversation.lastMessage?.seq === message.seq
        ? { ...conversation.lastMessage, preview: HIDDEN_PREVIEW }
        : conversation.lastMessage,
    lastActivityAt: message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt,
    unreadCount: unread ? conversation.unreadCount + 1 : conversation.unreadCount,
    unreadMentions: unread && message.mentions.includes(me) ? conversation.unreadMentions + 1 : conversation.unreadMentions,
    lastReadSeq: fromOther ? conversation.lastReadSeq : Math.max(conversation.lastReadSeq, message.seq),
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "conversations/set": {
      const conversations = action.conversations.map((c) => withHeldMessages(state, c));
      return { ...state, conversations: conversations.sort(byActivity), listed: true, counted: countedThrough(action.conversations) };
    }
    case "conversation/upsert": {
      const others = state.conversations.filter((c) => c.id !== action.conversation.id);
      const counted = { ...state.counted, [action.conversation.id]: action.conversation.lastSeq };
      return { ...state, conversations: [withHeldMessages(state, action.conversation), ...others].sort(byActivity), counted };
    }
    case "conversation/updated":
      return applyUpdate(state, action.conversation);
    case "conversation/removed": {
      // I left or was removed: it goes from the list, with what this tab held of it.
      const threads = Object.fromEntries(Object.entries(state.threads).filter(([id]) => id !== action.conversationId));
      return {
        ...state,
        conversations: state.conversations.filter((c) => c.id !== action.conversationId),
        threads,
        pending: state.pending.filter((p) => p.conversationId !== action.conversationId),
        activeId: state.activeId === action.conversationId ? null : state.activeId,
      };
    }
    case "active/set":
      return { ...state, activeId: action.id };
    case "thread/loaded": {
      const existing = state.threads[action.conversationId];
      // A window opened at an older message meanwhile: the newest page is not contiguous with it.
      if (existing?.loaded && existing.hasNewer) return state;
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
        // The page's pins are the truth as of its version; only pins heard live since then go on top.
        pinned: (existing?.pinned ?? []).filter((m) => m.version > action.page.version).reduce(updatePins, action.page.pinned ?? existing?.pinned ?? []),
      };
      return { ...state, threads: { ...state.threads, [action.conversationId]: thread } };
    }
    case "thread/older": {
      const existing = state.threads[action.conversationId];
      if (!existing?.loaded) return state;
      const thread = { ...existing, messages: mergeMessages(existing.messages, action.page.messages), hasMore: action.page.hasMore };
      return { ...state, threads: { ...state.threads, [action.conversationId]: thread } };
    }
    case "thread/window":
      return { ...state, threads: { ...state.threads, [action.conversationId]: windowThread(state.threads[action.conversationId], action.page) } };
    case "thread/newer": {
      const existing = state.threads[action.conversationId];
      const last = existing?.messages.at(-1)?.seq ?? 0;
      if (!existing?.loaded || !existing.hasNewer || (action.page.messages[0]?.seq ?? Infinity) <= last) return state;
      const hasNewer = action.page.hasNewer ?? false;
      const thread: Thread = {
        ...existing,
        messages: mergeMessages(existing.messages, action.page.messages),
        hasNewer,
        // Messages after the page were skipped as beyond the window, though their versions were
        // noted: syncing again from the page's version brings them in once the window reaches the end.
        version: Math.min(existing.version, action.page.version),
      };
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
        const isNew = !thread.messages.some((m) => m.id === message.id) && !thread.beyond?.some((m) => m.id === message.id);
        const pinned = updatePins(thread.pinned, message);
        // A change to a message older than the loaded stretch waits for "Load older" to fetch it.
        const beyond = thread.loaded && thread.hasMore && isNew && message.seq < (thread.messages[0]?.seq ?? 0);
        // Likewise a message newer than a window that stops short of the end: counted, not shown.
        const newer = thread.loaded && thread.hasNewer === true && message.seq > (thread.messages.at(-1)?.seq ?? 0);
        const merged = beyond || newer ? thread.messages : mergeMessages(thread.messages, [message]);
        const messages = thread.loaded ? merged : merged.slice(-LIVE_BUFFER_MAX);
        const held = newer ? { beyond: mergeMessages(thread.beyond ?? [], [message]).slice(-LIVE_BUFFER_MAX) } : {};
        threads = { ...threads, [message.conversationId]: { ...thread, messages, pinned, ...held } };
        const context = { me: state.me, isNew, countUnread: action.countUnread, counted: state.counted[message.conversationId] ?? 0 };
        conversations = conversations.map((c) => (c.id === message.conversationId ? applyToConversation(c, message, context) : c));
        if (message.senderId === state.me) delivered.add(message.clientMsgId);
      }
      const pending = delivered.size > 0 ? state.pending.filter((p) => !delivered.has(p.clientMsgId)) : state.pending;
      return { ...state, threads, conversations: [...conversations].sort(byActivity), pending };
    }
    case "pending/upsert": {
      const { pending } = action;
      // Already stored and shown (an ack raced the outbox's bookkeeping): nothing is pending.
      const thread = state.threads[pending.conversationId];
      if (thread?.messages.some((m) => m.senderId === state.me && m.clientMsgId === pending.clientMsgId)) return state;
      const before = state.pending.find((p) => p.clientMsgId === pending.clientMsgId);
      const others = state.pending.filter((p) => p !== before);
      // A change of state (an attempt failed) keeps the upload's progress where it was.
      const next = before?.progress && !pending.progress ? { ...pending, progress: before.progress } : pending;
      return { ...state, pending: [...others, next].sort((a, b) => a.order - b.order) };
    }
    case "pending/progress": {
      const { clientMsgId, progress } = action;
      if (!state.pending.some((p) => p.clientMsgId === clientMsgId)) return state;
      const pending = state.pending.map((p) => {
        if (p.clientMsgId !== clientMsgId) return p;
        const next = { ...p, progress: progress ?? undefined };
        if (!progress) delete next.progress;
        return next;
      });
      return { ...state, pending };
    }
    case "pending/remove":
      return { ...state, pending: state.pending.filter((p) => p.clientMsgId !== action.clientMsgId) };
    case "receipt":
      return applyReceipt(state, action);
    case "connection":
      return state.connection === action.state ? state : { ...state, connection: action.state };
    case "presence/merge":
    case "presence/clear":
    case "typing/set": {
      const presence = presenceReducer(state.presence, action);
      return presence === state.presence ? state : { ...state, presence };
    }
    case "read": {
      // Read part of the way (what has been on screen): what is left is counted from the thread
      // when it holds everything after the watermark; otherwise the count waits for the server's.
      const thread = state.threads[action.conversationId];
      const left = unreadAfter(thread, action.seq, state.me);
      return {
        ...state,
        conversations: state.conversations.map((c) => {
          if (c.id !== action.conversationId || action.seq < c.lastReadSeq) return c;
          const counted = action.seq >= c.lastSeq ? { unread: 0, mentions: 0 } : left && left.through >= c.lastSeq ? left : readBetween(thread, c, action.seq, state.me);
          return { ...c, lastReadSeq: action.seq, unreadCount: counted?.unread ?? c.unreadCount, unreadMentions: counted?.mentions ?? c.unreadMentions, markedUnread: false };
        }),
      };
    }
    case "conversation/marked":
      return {
        ...state,
        conversations: state.conversations.map((c) => (c.id === action.conversationId ? { ...c, markedUnread: action.markedUnread } : c)),
      };
    case "conversation/muted":
      return { ...state, conversations: state.conversations.map((c) => (c.id === action.conversationId ? { ...c, muted: action.muted } : c)) };
  }
}

/**
 * A thread holding just this page: a window around a message (it may stop short of the end) or
 * the newest page again. Whatever was held goes, so two stretches never show as one; its version
 * is the page's, and syncing from there brings whatever changed since.
 */
function windowThread(existing: Thread | undefined, page: MessagePage): Thread {
  const pins = page.pinned ?? existing?.pinned ?? [];
  return {
    messages: page.messages,
    hasMore: page.hasMore,
    hasNewer: page.hasNewer ?? false,
    // Kept, so a message held back and then synced or heard again is not new (nor counted) twice.
    ...(existing?.beyond ? { beyond: existing.beyond } : {}),
    version: page.version,
    loaded: true,
    pinned: (existing?.pinned ?? []).filter((m) => m.version > page.version).reduce(updatePins, pins),
  };
}

/** A new name or member list; watermarks only rise, so a late update never lowers a tick. */
function applyUpdate(state: ChatState, update: ConversationSummary): ChatState {
  const conversations = state.conversations.map((c) => {
    if (c.id !== update.id) return c;
    const known = new Map(c.members.map((m) => [m.id, m]));
    // A large room says only who came and went; everyone else stays as this client holds them.
    const delta = update.memberDelta;
    const listed = delta
      ? [...c.members.filter((m) => !delta.removed.includes(m.id) && !delta.added.some((a) => a.id === m.id)), ...delta.added]
      : update.members;
    const members = listed.map((m) => {
      const before = known.get(m.id);
      return before ? { ...m, deliveredSeq: Math.max(m.deliveredSeq, before.deliveredSeq), readSeq: Math.max(m.readSeq, before.readSeq) } : m;
    });
    return { ...c, name: update.name, members, ...(update.room ? { room: update.room } : {}) };
  });
  return { ...state, conversations };
}

function applyReceipt(state: ChatState, receipt: Extract<ChatAction, { type: "receipt" }>): ChatState {
  const conversations = state.conversations.map((c) => {
    if (c.id !== receipt.conversationId) return c;
    const members = c.members.map((m) =>
      m.id === receipt.userId
        ? { ...m, deliveredSeq: Math.max(m.deliveredSeq, receipt.deliveredSeq, receipt.readSeq), readSeq: Math.max(m.readSeq, receipt.readSeq) }
        : m,
    );
    return { ...c, members };
  });
  const next = { ...state, conversations };
  // My own read on another tab or device clears this tab's badge too.
  return receipt.userId === state.me ? chatReducer(next, { type: "read", conversationId: receipt.conversationId, seq: receipt.readSeq }) : next;
}

/**
 * A conversation as the server listed it, plus what this tab already holds beyond the list's
 * lastSeq (live messages that came in while the list was on its way): a list read before them
 * does not count them, and their broadcast will not be heard again.
 */
function withHeldMessages(state: ChatState, conversation: ConversationDto): ConversationDto {
  const held = (state.threads[conversation.id]?.messages ?? []).filter((m) => m.seq > conversation.lastSeq);
  return held.reduce(
    (c, message) => applyToConversation(c, message, { me: state.me, isNew: true, countUnread: true, counted: conversation.lastSeq }),
    conversation,
  );
}

/**
 * What is left unread once read through `seq`, when the thread does not reach the end (a window
 * opened at a search result) but holds every message between the old watermark and `seq`: the
 * count less the others' messages read now. Null when the thread cannot tell.
 */
function readBetween(thread: Thread | undefined, c: ConversationDto, seq: number, me: string): { unread: number; mentions: number } | null {
  if (!thread?.loaded || (thread.messages[0]?.seq ?? Infinity) > c.lastReadSeq + 1 || (thread.messages.at(-1)?.seq ?? 0) < seq) return null;
  const read = thread.messages.filter((m) => m.seq > c.lastReadSeq && m.seq <= seq && m.senderId !== me);
  const mentions = read.filter((m) => m.mentions.includes(me)).length;
  return { unread: Math.max(0, c.unreadCount - read.length), mentions: Math.max(0, c.unreadMentions - mentions) };
}

/**
 * Messages from others after `seq` in a loaded thread that holds all of them (its oldest message
 * at or below seq + 1), as the server counts them (lib/db/unread.ts), and the last seq it holds;
 * null when the thread cannot tell.
 */
function unreadAfter(thread: Thread | undefined, seq: number, me: string): { unread: number; mentions: number; through: number } | null {
  if (!thread?.loaded || (thread.messages[0]?.seq ?? Infinity) > seq + 1) return null;
  const after = thread.messages.filter((m) => m.seq > seq && m.senderId !== me);
  return { unread: after.length, mentions: after.filter((m) => m.mentions.includes(me)).length, through: thread.messages.at(-1)?.seq ?? seq };
}
