// The shape of the chat's client state, and the order of its conversation list: what both the
// reducer (store.ts) and the state before any event (initial-state.ts) are written against.
import type { ConversationDto, MessageDto } from "../schemas/dto";
import type { OutboxFile, UploadProgress } from "./outbox-files";
import type { PresenceState } from "./presence-store";
import type { ConnectionState } from "./realtime-client";

/** A message in the outbox, as the UI shows it. `error` may be set while still sending (the last failed attempt). */
export type Pending = {
  clientMsgId: string;
  conversationId: string;
  text: string;
  status: "sending" | "failed";
  error: string | null;
  /** Whether a retry can succeed later (the network) or the server refused it (validation, membership). */
  retryable: boolean;
  createdAt: string;
  order: number;
  /** The files it carries (their bytes, for a preview), and how far their upload has got while it runs. */
  files?: OutboxFile[];
  progress?: UploadProgress;
};

/**
 * The messages this tab holds for a conversation. `loaded` once a page of history came in;
 * before that it only holds what arrived live, so "is this message new here" is always exact.
 */
export type Thread = {
  messages: MessageDto[];
  hasMore: boolean;
  version: number;
  loaded: boolean;
  /** Pinned messages, latest pin first: also those older than what is loaded (for the pinned bar). */
  pinned: MessageDto[];
  /**
   * The loaded stretch stops short of the newest message: a window opened at a search result.
   * Messages beyond it are not held (they would look contiguous with it); "Load newer" pages
   * forward until the end, and "Jump to latest" reloads the newest page. Absent means false.
   */
  hasNewer?: boolean;
  /**
   * Messages heard beyond such a window, not shown: what the jump-to-latest button counts, and
   * what tells a repeat of one (a sync after the broadcast) from a new message, so it counts once.
   */
  beyond?: MessageDto[];
};

/** Others' messages heard beyond the window, newer than what it shows: "N new" on jump-to-latest. */
export function newerHeard(thread: Thread | undefined, me: string): number {
  const last = thread?.messages.at(-1)?.seq ?? 0;
  return thread?.hasNewer ? (thread.beyond ?? []).filter((m) => m.seq > last && m.senderId !== me && !m.hidden && !m.deletedAt).length : 0;
}

export type ChatState = {
  me: string;
  activeId: string | null;
  conversations: ConversationDto[];
  /** Whether `conversations` is the real list: false while the page could not read it and the engine has not yet. */
  listed: boolean;
  threads: Record<string, Thread>;
  /**
   * Per conversation, the seq through which its unreadCount came from the server (the list's
   * lastSeq when it was read). A live message at or below it is already in that count: the list
   * fetched over HTTP and the socket's broadcast of the same message race, and it counts once.
   */
  counted: Record<string, number>;
  pending: Pending[];
  connection: ConnectionState;
  presence: PresenceState;
};

/** Most recent activity first. */
export const byActivity = (a: ConversationDto, b: ConversationDto) => b.lastActivityAt.localeCompare(a.lastActivityAt);

/** Each conversation's lastSeq as the server listed it: its unreadCount counts through there. */
export const countedThrough = (conversations: ConversationDto[]): Record<string, number> =>
  Object.fromEntries(conversations.map((c) => [c.id, c.lastSeq]));
