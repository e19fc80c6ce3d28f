// The chat client without React: state (store.ts), the socket with its HTTP fallback
// (realtime-client.ts), the outbox (outbox.ts) and sync. The browser's useChat hook renders it;
// Node tests drive the very same object, so what the fault tests prove is what users run.
import type { ConversationDto, MessageDto } from "../schemas/dto";
import type { SearchInput } from "../schemas/search";
import type { ChatApi, GroupRequest, MessageRequest } from "./api";
import { RealtimeClient, newClientMsgId, type RealtimeOptions } from "./realtime-client";
import { CallInbox } from "./calls/inbox";
import { DeliveredReporter } from "./delivered";
import { requestMessageChange } from "./message-requests";
import { PersonalFlags } from "./personal";
import type { ReceiptEvent } from "../realtime/events";
import { PresenceClient } from "./presence-client";
import { Outbox, type OutboxEntry, type OutboxFile, type OutboxStore, type RetryPolicy, type SendInput, type SendVia, type UploadFile } from "./outbox";
import { uploadActivity } from "./outbox-files";
import { xhrUpload } from "./upload";
import { toPending } from "./pending";
import type { ChatState } from "./chat-state";
import { initialChatState } from "./initial-state";
import { chatReducer, type ChatAction } from "./store";
import { learnAvatars } from "./avatars";

export type { ChatApi };

export type EngineOptions = {
  me: string;
  api: ChatApi;
  realtime: Omit<RealtimeOptions, "onState" | "onConnect" | "onNetworkBack">;
  outboxStore: OutboxStore;
  initialConversations?: ConversationDto[] | null;
  initialActiveId?: string | null;
  retryPolicy?: RetryPolicy;
  /** How a message's files are uploaded (default: XMLHttpRequest to /api/uploads, where there is one). */
  upload?: UploadFile;
  /** How long the server keeps an unsent upload; a message that waited longer uploads its files again. */
  uploadsKeptMs?: number;
  /** Without a socket, how often to pull changes. */
  pollMs?: number;
  /** With a socket, how often loaded threads re-check for a missed last broadcast. */
  resyncEveryMs?: number;
  /** Receipts are coalesced per conversation over this window. */
  deliveredDelayMs?: number;
  /** Called once the server has stored an outbox message (first time or as a repeat). */
  onSent?: (entry: OutboxEntry, message: MessageDto, via: SendVia) => void;
};

const SYNC_ROUNDS_MAX = 20;

/** What a message may carry besides its text: a reply, mentions, files (uploaded before it is sent). */
export type SendExtra = Pick<SendInput, "replyTo" | "mentions"> & { files?: OutboxFile[] };

export class ChatEngine {
  readonly client: RealtimeClient;
  readonly outbox: Outbox;
  /** Presence and typing: `presence.typing(conversationId, text)` from the composer. */
  readonly presence: PresenceClient;
  /** Call events, kept until the call engine (a chunk of its own, lib/client/calls/controller.ts) takes them. */
  readonly calls = new CallInbox();
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly syncing = new Map<string, { again: boolean; done: Promise<void> }>();
  /** First-page loads under way, one per conversation. */
  private readonly loading = new Map<string, Promise<void>>();
  private readonly delivered: DeliveredReporter;
  /** "Mark as unread" and mute. */
  readonly personal = new PersonalFlags({ dispatch: (a) => this.dispatch(a), http: (call) => this.client.http(call), api: () => this.options.api });
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private resyncTimer: ReturnType<typeof setInterval> | undefined;
  private started = false;
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.state = initialChatState({
      me: options.me,
      conversations: options.initialConversations,
      activeId: options.initialActiveId,
      connection: options.realtime.forceHttp ? "http" : "connecting",
    });
    this.client = new RealtimeClient({
      ...options.realtime,
      onState: (connection) => {
        this.dispatch({ type: "connection", state: connection });
        this.schedulePolling();
      },
      onConnect: () => this.reconnected(),
      onNetworkBack: () => this.reconnected(),
    });
    this.presence = new PresenceClient({ me: options.me, socket: this.client.socket, dispatch: (action) => this.dispatch(action) });
    this.delivered = new DeliveredReporter({
      delayMs: options.deliveredDelayMs ?? 300,
      stored: (conversationId) =>
        this.state.conversations.find((c) => c.id === conversationId)?.members.find((m) => m.id === options.me)?.deliveredSeq ?? 0,
      send: async (input) => {
        const result = await this.client.request("conversation:delivered", input, () => options.api.markDelivered(input));
        return { ok: result.ok, retryable: !result.ok && result.error.retryable };
      },
    });
    this.outbox = new Outbox({
      userId: options.me,
      store: options.outboxStore,
      policy: options.retryPolicy,
      // A margin of a tenth: an upload about to be swept is not worth referring to.
      ...(options.uploadsKeptMs ? { uploadsKeptMs: options.uploadsKeptMs * 0.9 } : {}),
      transport: {
        socketUp: () => this.client.socketUp(),
        offline: () => this.client.offline(),
        send: (input, via) => this.attemptSend(input, via),
        upload: options.upload ?? (typeof XMLHttpRequest === "undefined" ? undefined : xhrUpload),
      },
      listener: {
        changed: (entry, state) => this.dispatch({ type: "pending/upsert", pending: toPending(entry, state) }),
        sent: (entry, message, via) => {
          this.sawLiveMessage(message);
          options.onSent?.(entry, message, via);
        },
        discarded: (entry) => this.dispatch({ type: "pending/remove", clientMsgId: entry.clientMsgId }),
        uploading: (entry, progress) => {
          this.dispatch({ type: "pending/progress", clientMsgId: entry.clientMsgId, progress });
          this.presence.sending(entry.conversationId, progress && entry.files ? uploadActivity(entry.files) : null);
        },
      },
    });
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(action: ChatAction) {
    // Member lists say who shows a picture (lib/client/avatars.ts), in the order they arrive.
    if (action.type === "conversations/set") learnAvatars(action.conversations.flatMap((c) => c.members));
    else if (action.type === "conversation/upsert" || action.type === "conversation/updated") learnAvatars(action.conversation.members);
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  /** Attaches the socket's listeners and resumes whatever the outbox still holds. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const socket = this.client.socket;
    socket?.on("message:created", ({ message }) => this.sawLiveMessage(message));
    socket?.on("message:updated", ({ message }) => this.sawLiveMessage(message, { update: true }));
    socket?.on("conversation:created", ({ conversation }) => this.dispatch({ type: "conversation/upsert", conversation }));
    socket?.on("conversation:updated", ({ conversation }) => this.dispatch({ type: "conversation/updated", conversation }));
    socket?.on("conversation:removed", ({ conversationId }) => this.leftConversation(conversationId));
    socket?.on("receipt", (receipt: ReceiptEvent) => this.dispatch({ type: "receipt", ...receipt }));
    socket?.on("user:updated", ({ user }) => learnAvatars([user]));
    this.calls.attach(socket);
    this.presence.attach();
    this.personal.listen(socket);
    this.schedulePolling();
    for (const conversation of this.state.conversations) this.noteReceived(conversation.id, conversation.lastSeq);
    await this.outbox.start();
  }

  close() {
    this.closed = true;
    clearInterval(this.pollTimer);
    clearInterval(this.resyncTimer);
    this.delivered.close();
    this.presence.close();
    this.outbox.stop();
    this.client.close();
    this.listeners.clear();
  }

  /** Shown at once, persisted (its files too) before the first attempt, sent in the order written. */
  send(conversationId: string, text: string, extra: SendExtra = {}): Promise<OutboxEntry> {
    this.presence.stopTyping(conversationId);
    const { files, ...rest } = extra;
    return this.outbox.add({ clientMsgId: newClientMsgId(), conversationId, text, ...rest, ...(files?.length ? { files } : {}) });
  }

  retry = (clientMsgId: string) => this.outbox.retry(clientMsgId);
  discard = (clientMsgId: string) => this.outbox.discard(clientMsgId);
  /** Takes back a message still uploading its files (or waiting, or failed); false once it is on its way. */
  cancel = (clientMsgId: string) => this.outbox.cancel(clientMsgId);

  /** I left or was removed: what waits to be sent there never will be. */
  private leftConversation(conversationId: string) {
    const unsent = this.outbox.pending().filter(({ entry }) => entry.conversationId === conversationId);
    for (const { entry } of unsent) void this.outbox.discard(entry.clientMsgId);
    this.dispatch({ type: "conversation/removed", conversationId });
  }

  private attemptSend(input: SendInput, via: SendVia) {
    return via === "socket" ? this.client.emit<{ message: MessageDto }, "message:send">("message:send", input) : this.client.http(() => this.options.api.send(input));
  }

  /** A message seen live (broadcast or ack). Versions are consecutive per conversation: a jump means a missed change. */
  private sawLiveMessage(message: MessageDto, { update = false } = {}) {
    if (!update) this.presence.sawMessage(message);
    const thread = this.state.threads[message.conversationId];
    this.dispatch({ type: "messages/apply", messages: [message], countUnread: !update });
    this.noteReceived(message.conversationId, message.seq, message.senderId);
    if (!thread?.loaded) return;
    if (message.version > thread.version + 1) void this.syncThread(message.conversationId);
    else this.dispatch({ type: "thread/version", conversationId: message.conversationId, version: message.version });
  }

  /**
   * Brings one loaded thread up to date: every change after its version, in rounds. One run per
   * conversation at a time; a request during a run makes it go once more afterwards.
   */
  syncThread(conversationId: string): Promise<void> {
    const running = this.syncing.get(conversationId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.syncOnce(conversationId);
        } while (entry.again && !this.closed);
      } finally {
        this.syncing.delete(conversationId);
      }
    })();
    this.syncing.set(conversationId, entry);
    return entry.done;
  }

  private async syncOnce(conversationId: string) {
    const thread = this.state.threads[conversationId];
    let since = thread?.loaded ? thread.version : undefined;
    for (let round = 0; round < SYNC_ROUNDS_MAX && since !== undefined && !this.closed; round += 1) {
      const input = { conversationId, sinceVersion: since };
      const result = await this.client.request("sync", input, () => this.options.api.sync(input));
      // Not (or no longer) a member: removed while this tab was not listening.
      if (!result.ok && result.error.code === "NOT_FOUND") this.leftConversation(conversationId);
      if (!result.ok) return;
      this.dispatch({ type: "messages/apply", messages: result.data.messages, countUnread: true });
      this.dispatch({ type: "thread/version", conversationId, version: result.data.version });
      this.noteReceived(conversationId, Math.max(0, ...result.data.messages.map((m) => m.seq)));
      if (!result.data.hasMore) return;
      since = result.data.version;
    }
  }

  async refreshConversations() {
    const result = await this.client.http(() => this.options.api.listConversations());
    if (!result.ok) return;
    this.dispatch({ type: "conversations/set", conversations: result.data });
    for (const conversation of result.data) this.noteReceived(conversation.id, conversation.lastSeq);
  }

  /**
   * After every (re)connection: the list, then every loaded thread, since its version, and the open
   * thread's first page if it never came. Recovery never replaces this.
   */
  async resyncAll() {
    await this.refreshConversations();
    const loaded = Object.entries(this.state.threads).filter(([, thread]) => thread.loaded);
    await Promise.all([...loaded.map(([id]) => this.syncThread(id)), this.loadOpenThread()]);
  }

  /**
   * The open conversation's history failed to load (the network went away right after a reload):
   * try again. Without this the thread holds only what arrived since, a message sent meanwhile
   * included, and sync skips it for not being loaded, so the earlier messages stay missing.
   */
  private async loadOpenThread() {
    const id = this.state.activeId;
    if (id && !this.state.threads[id]?.loaded && this.state.conversations.some((c) => c.id === id)) await this.loadThread(id);
  }

  private reconnected() {
    this.outbox.wake();
    if (this.started) void this.resyncAll();
  }

  private schedulePolling() {
    clearInterval(this.pollTimer);
    clearInterval(this.resyncTimer);
    if (this.closed || !this.started) return;
    const { connection } = this.state;
    if (connection === "http" || connection === "offline") {
      this.pollTimer = setInterval(() => void this.resyncAll(), this.options.pollMs ?? 3_000);
    } else if (connection === "connected") {
      // A dropped final broadcast has no later one to reveal its gap: look now and then.
      this.resyncTimer = setInterval(() => {
        for (const [id, thread] of Object.entries(this.state.threads)) if (thread.loaded) void this.syncThread(id);
        void this.loadOpenThread();
      }, this.options.resyncEveryMs ?? 60_000);
    }
  }

  async openThread(conversationId: string) {
    this.dispatch({ type: "active/set", id: conversationId });
    if (this.state.threads[conversationId]?.loaded) return this.syncThread(conversationId);
    return this.loadThread(conversationId);
  }

  /** A thread's first page, one load at a time per conversation (opening it and a reconnection may both ask). */
  private loadThread(conversationId: string): Promise<void> {
    const running = this.loading.get(conversationId);
    if (running) return running;
    const done = (async () => {
      const result = await this.client.http(() => this.options.api.loadMessages({ conversationId }));
      this.loading.delete(conversationId);
      // A failure is retried by the next resyncAll (back online, reconnected, or polling).
      if (!result.ok || this.closed) return;
      this.dispatch({ type: "thread/loaded", conversationId, page: result.data });
      const last = result.data.messages.at(-1);
      if (last) this.noteReceived(conversationId, last.seq);
      // Changes between the page and now arrive live or through this.
      await this.syncThread(conversationId);
    })();
    this.loading.set(conversationId, done);
    return done;
  }

  /** The page before the oldest message held: `limit` messages (the server's default page when unsaid). */
  async loadOlder(conversationId: string, limit?: number) {
    const oldest = this.state.threads[conversationId]?.messages[0];
    if (!oldest) return;
    const result = await this.client.http(() => this.options.api.loadMessages({ conversationId, before: oldest.seq, ...(limit ? { limit } : {}) }));
    if (result.ok) this.dispatch({ type: "thread/older", conversationId, page: result.data });
  }

  /**
   * Opens a conversation at the message with this seq (a search result): when the held stretch has
   * it, as it is; otherwise a window around it, which may stop short of the end. True once it is held.
   */
  async openAt(conversationId: string, seq: number): Promise<boolean> {
    this.dispatch({ type: "active/set", id: conversationId });
    const holds = () => {
      const thread = this.state.threads[conversationId];
      return thread?.loaded === true && (thread.messages[0]?.seq ?? Infinity) <= seq && seq <= (thread.messages.at(-1)?.seq ?? 0);
    };
    if (holds()) return true;
    const result = await this.client.http(() => this.options.api.loadMessages({ conversationId, around: seq }));
    if (!result.ok || this.closed) return false;
    this.dispatch({ type: "thread/window", conversationId, page: result.data });
    void this.syncThread(conversationId);
    return holds();
  }

  /** The page after the newest message held, for a window that stops short of the end. */
  async loadNewer(conversationId: string) {
    const thread = this.state.threads[conversationId];
    const newest = thread?.messages.at(-1);
    if (!thread?.hasNewer || !newest) return;
    const result = await this.client.http(() => this.options.api.loadMessages({ conversationId, after: newest.seq }));
    if (!result.ok) return;
    this.dispatch({ type: "thread/newer", conversationId, page: result.data });
    // At the end now: what was skipped as beyond the window comes in by sync.
    if (!this.state.threads[conversationId]?.hasNewer) await this.syncThread(conversationId);
  }

  /** Back to the newest page, from a window that stops short of it. */
  async loadLatest(conversationId: string) {
    const result = await this.client.http(() => this.options.api.loadMessages({ conversationId }));
    if (!result.ok || this.closed) return;
    this.dispatch({ type: "thread/window", conversationId, page: result.data });
    const last = result.data.messages.at(-1);
    if (last) this.noteReceived(conversationId, last.seq);
    await this.syncThread(conversationId);
  }

  /** Message search, over the socket when it is up (its own rate limit there), else over HTTP. */
  search(input: SearchInput) {
    return this.client.request("search", input, () => this.options.api.search(input));
  }

  async startConversation(input: Parameters<ChatApi["createConversation"]>[0]) {
    const result = await this.client.http(() => this.options.api.createConversation(input));
    if (result.ok) this.dispatch({ type: "conversation/upsert", conversation: result.data.conversation });
    return result;
  }

  /** The answer updates this tab at once; the other members (and my other tabs) hear it from the socket server. */
  async changeGroup(request: GroupRequest) {
    const result = await this.client.http(() => this.options.api.changeGroup(request));
    if (result.ok && request.action === "remove" && request.userId === this.options.me) this.leftConversation(request.conversationId);
    else if (result.ok && result.data.conversation) this.dispatch({ type: "conversation/updated", conversation: result.data.conversation });
    return result;
  }

  async changeMessage(request: MessageRequest) {
    const result = await requestMessageChange(this.client, this.options.api, request);
    if (result.ok) this.sawLiveMessage(result.data.message, { update: true });
    return result;
  }

  async markRead(conversationId: string, seq: number) {
    this.dispatch({ type: "read", conversationId, seq });
    const input = { conversationId, seq };
    await this.client.request("conversation:read", input, () => this.options.api.markRead(input));
  }

  /** This client now holds everything up to `seq` (its own messages need no report). */
  private noteReceived(conversationId: string, seq: number, senderId?: string) {
    if (senderId !== this.options.me) this.delivered.note(conversationId, seq);
  }
}
