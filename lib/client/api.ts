import type { ConversationDto, ConversationSummary, MessageDto, MessagePage, SearchResult, SyncResult } from "../schemas/dto";
import type { SearchInput } from "../schemas/search";
import type { MarkDeliveredInput, MarkReadInput, MarkUnreadInput, MuteInput, SyncInput } from "../schemas/message";
import type { Ack } from "../realtime/events";
import type { SendInput } from "./outbox";

/** The HTTP half of every request: server actions in the browser, route handlers elsewhere. */
export type ChatApi = {
  send(input: SendInput): Promise<Ack<{ message: MessageDto }>>;
  sync(input: SyncInput): Promise<Ack<SyncResult>>;
  /** A page of history: the newest, older than `before`, newer than `after`, or a window `around` a seq. */
  loadMessages(input: HistoryRequest): Promise<Ack<MessagePage>>;
  /** Message search: the HTTP half of the `search` socket request. */
  search(input: SearchInput): Promise<Ack<SearchResult>>;
  listConversations(): Promise<Ack<ConversationDto[]>>;
  markRead(input: MarkReadInput): Promise<Ack<{ lastReadSeq: number }>>;
  markDelivered(input: MarkDeliveredInput): Promise<Ack<{ lastDeliveredSeq: number }>>;
  /** "Mark as unread" (or undo it). HTTP only, like group changes: a rare, deliberate click. */
  markUnread(input: MarkUnreadInput): Promise<Ack<{ markedUnread: boolean }>>;
  /** Mute or unmute, for me alone. HTTP only, like markUnread. */
  mute(input: MuteInput): Promise<Ack<{ muted: boolean }>>;
  createConversation(
    input: { kind: "direct"; userId: string } | { kind: "group"; name: string; memberIds: string[] },
  ): Promise<Ack<{ conversation: ConversationDto }>>;
  /** Rename a group, add a member, or remove one (leave, when it is oneself). HTTP only: there is no socket event for it. */
  changeGroup(request: GroupRequest): Promise<Ack<{ conversation?: ConversationSummary }>>;
  /** Edit, delete (for me or everyone), react or pin: the HTTP half of the `message:<action>` events. */
  changeMessage(request: MessageRequest): Promise<Ack<{ message: MessageDto }>>;
};

export type MessageRequest =
  | { action: "edit"; messageId: string; text: string }
  | { action: "delete"; messageId: string; for: "me" | "everyone" }
  | { action: "react"; messageId: string; emoji: string; add: boolean }
  | { action: "pin"; messageId: string; pinned: boolean };

export type GroupRequest =
  | { action: "rename"; conversationId: string; name: string }
  | { action: "add"; conversationId: string; userId: string }
  | { action: "remove"; conversationId: string; userId: string }
  | { action: "role"; conversationId: string; userId: string; role: "admin" | "member" };

export type HistoryRequest = { conversationId: string; before?: number; after?: number; around?: number; limit?: number };
