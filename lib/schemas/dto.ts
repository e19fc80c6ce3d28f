// Shapes that leave the server (socket payloads, HTTP bodies, server action results).
// Ids are strings named `id`; dates are ISO strings. Types only: safe for the browser.
import type { CallMedia, CallOutcome, CallState } from "./call";
import type { FileKind } from "./file";

/**
 * `email` only where the viewer already knows it (their own, or a search for that exact address);
 * `emailHint`, a masked address ("b•••n@e•••.com"), in other search results: enough to tell two
 * people of the same name apart.
 */
export type UserDto = { id: string; name: string; email?: string; emailHint?: string; avatar?: string };

/**
 * A member and their watermarks: every message up to `deliveredSeq` reached one of their clients,
 * up to `readSeq` was read. The `owner` of a group may remove members.
 */
export type MemberDto = { id: string; name: string; role: "owner" | "admin" | "member"; deliveredSeq: number; readSeq: number; avatar?: string };

/**
 * `avatar`: the version of their profile picture, served at /api/users/:id/avatar?v=<avatar>;
 * absent (or null in `user:updated`) when they show their initials.
 */
export type ProfileDto = { id: string; name: string; avatar: string | null };

export type MessageDto = {
  id: string;
  conversationId: string;
  seq: number;
  version: number;
  senderId: string;
  senderName: string;
  clientMsgId: string;
  kind: "text" | "system" | "call";
  text: string;
  /** On a `call` entry: which call, and how it went (the text is the same as a sentence, for previews). */
  call?: CallEntryDto;
  /** The files it carries, in order (absent when none, and once deleted); `text` is their caption, maybe "". */
  attachments?: AttachmentDto[];
  replyTo: string | null;
  /** What the reply quotes, resolved by the server so it shows even when the original is not loaded; null when not a reply. */
  replyPreview: ReplyPreview | null;
  /** Ids of the members it mentions. */
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  /** Deleted for everyone: `text` is empty and there are no reactions. */
  deletedAt: string | null;
  /** Each emoji once, in the order first used, with who reacted with it. */
  reactions: ReactionDto[];
  pinnedAt: string | null;
  pinnedBy: string | null;
  /** Viewer-specific, and only ever sent to that viewer: they deleted it for themselves (text is empty). */
  hidden?: true;
};

/** `durationMs`: from connecting to hanging up, on a completed call. */
export type CallEntryDto = { id: string; media: CallMedia; outcome: CallOutcome; callerId: string; durationMs: number | null };

/**
 * A call as either person's tabs see it; party ids and sockets never leave the server.
 * `ringMs`: how long it still rings when sent (a client's clock need not agree with the server's).
 * `answeredMedia`: what the callee's answering tab sends.
 */
export type CallDto = {
  id: string;
  conversationId: string;
  callerId: string;
  calleeId: string;
  media: CallMedia;
  state: CallState;
  outcome: CallOutcome | null;
  answeredMedia: CallMedia | null;
  createdAt: string;
  ringMs: number;
  connectedAt: string | null;
  endedAt: string | null;
};

/**
 * An uploaded file, as POST /api/uploads answers it and a message carries it. `type` is what the
 * server found in the content (never what the client said); `kind` says how it is shown. An image
 * has its `width` and `height` (as shown, after EXIF rotation), so a page can size it before it loads.
 * Served at /api/files/:id (the original; inline for video and audio, a download for the rest),
 * /api/files/:id/thumbnail and /api/files/:id/preview (images: re-encoded, metadata stripped).
 */
export type FileDto = { id: string; name: string; type: string; size: number; kind: FileKind; width?: number; height?: number };
export type AttachmentDto = FileDto;

export type ReactionDto = { emoji: string; userIds: string[] };
/** The quoted message: its sender and an excerpt ("" once it was deleted), and its seq to jump to it. */
export type ReplyPreview = { id: string; seq: number; senderName: string; excerpt: string };

export type LastMessageDto = {
  seq: number;
  /** A system message (a group change) is shown without its sender in front. */
  kind: MessageDto["kind"];
  senderId: string;
  senderName: string;
  preview: string;
  createdAt: string;
};

export type ConversationDto = {
  id: string;
  kind: "direct" | "group" | "room";
  /** The group's or room's name; null for direct conversations (the client shows the other member). */
  name: string | null;
  /** Rooms only: what the header and the directory show of it. */
  room?: RoomInfo;
  members: MemberDto[];
  /** The seq of the last message (0 when none). */
  lastSeq: number;
  lastMessage: LastMessageDto | null;
  createdAt: string;
  lastActivityAt: string;
  /** Viewer-specific. */
  unreadCount: number;
  lastReadSeq: number;
  /** The viewer marked it as unread ("Mark as unread"); cleared when they read it. */
  markedUnread: boolean;
  /** The viewer muted it: no toast or browser notification for its messages. */
  muted: boolean;
  /** Unread messages that mention the viewer (capped like unreadCount). */
  unreadMentions: number;
};

/** A conversation as every member sees it, without the viewer-specific fields: what `conversation:updated` carries. */
export type ConversationSummary = Pick<ConversationDto, "id" | "kind" | "name" | "members" | "room"> & {
  /**
   * A large room's change: who joined and who left, instead of the whole list (then `members` is
   * empty). Clients apply it to the members they hold.
   */
  memberDelta?: { added: MemberDto[]; removed: string[] };
};

/** A room's own fields. `memberCount`: stored, moved with each join and leave, never recounted. */
export type RoomInfo = { topic: string; public: boolean; archived: boolean; memberCount: number };

/**
 * A room as the directory lists it, and as `room:created` and `room:updated` carry it to every
 * signed-in client. `listed`: public and not archived (false: it leaves the directory).
 */
export type RoomDto = RoomInfo & { id: string; name: string; listed: boolean; lastActivityAt: string; createdAt: string };

/** A directory row: `joined` is the viewer's own. */
export type DirectoryRoomDto = RoomDto & { joined: boolean };

/** A read-only look at a room before joining: its recent messages, and nothing of its members but their count. */
export type RoomPreviewDto = { room: DirectoryRoomDto; messages: MessageDto[] };

/**
 * Whether someone is online (on any of their tabs and devices) and, when not, when they were last
 * seen (null while online, or when never seen). Only ever sent to people who share a conversation with them.
 */
export type PresenceDto = { userId: string; online: boolean; lastSeenAt: string | null };

/** `version`: the conversation's version read before the query, a safe point to sync from. */
export type MessagePage = {
  messages: MessageDto[];
  hasMore: boolean;
  version: number;
  /** On `after` and `around` pages: whether messages newer than the page exist (the window stops short of the end). */
  hasNewer?: boolean;
  /** On the newest page and `around` windows (no `before` or `after`): every pinned message of the conversation, newest pin first. */
  pinned?: MessageDto[];
};
export type SyncResult = { messages: MessageDto[]; version: number; hasMore: boolean };

/**
 * A page of search results, newest first: messages, each naming its conversation (which the
 * searcher is a member of, so their conversation list has it). `words` and `phrases` are the query as it matched
 * (folded, lib/search/words.ts) for highlighting (matchRanges); `cursor` fetches the next page,
 * null at the end. `partial`: the page stopped early after reading its share of the index;
 * fetching on with the cursor continues where it stopped. `expanded`: some word had more
 * completions than a search takes (a longer prefix narrows it).
 */
export type SearchResult = {
  hits: MessageDto[];
  cursor: string | null;
  words: string[];
  phrases: string[][];
  partial: boolean;
  expanded: boolean;
};
