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
};

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
