// The outbox: a message is stored here before its first attempt and leaves only when the server
// has acknowledged it, so a reload, a crash or an offline spell neither loses nor doubles it.
// Framework-free: the browser keeps it in IndexedDB (outbox-idb.ts), Node tests in memory.
//
// Per conversation the outbox is a queue with one message in flight: the server assigns seq in
// arrival order, so sending the next message only after the previous one is stored is what keeps
// the conversation in the order the user wrote it, whatever retries and transports happen between.
import type { MessageDto } from "../schemas/dto";
import type { Ack } from "../realtime/events";
import { forgetStaleUploads, uploadMissing, type OutboxFile, type UploadFile, type UploadProgress } from "./outbox-files";
import { backoffDelay, DEFAULT_RETRY, transportFor, type RetryPolicy, type SendVia } from "./outbox-policy";

import { MemoryOutboxStore, type OutboxEntry, type OutboxStore } from "./outbox-store";

export type { OutboxFile, UploadFile, UploadProgress };
export { MemoryOutboxStore, type OutboxEntry, type OutboxStore };
export { backoffDelay, DEFAULT_RETRY, transportFor, type RetryPolicy, type SendVia };

export type SendInput = { conversationId: string; clientMsgId: string; text: string; replyTo?: string; mentions?: string[]; attachments?: string[] };

export interface OutboxTransport {
  /** Whether the socket is connected, so an attempt over it makes sense. */
  socketUp(): boolean;
  /** Whether the device knows it has no network (navigator.onLine): attempts are pointless and not counted. */
  offline(): boolean;
  /** One attempt. Over the socket it must give up after its ack timeout (a retryable error). */
  send(input: SendInput, via: SendVia): Promise<Ack<{ message: MessageDto }>>;
  /** One file's upload, always over HTTP; needed only for messages with files. */
  upload?: UploadFile;
}

export type OutboxItemState = { status: "sending" | "failed"; error: string | null; retryable: boolean; attempts: number };

export type OutboxListener = {
  /** A message entered the outbox or its state changed. */
  changed(entry: OutboxEntry, state: OutboxItemState): void;
  /** The server stored it (or had already stored it): the entry is gone from the outbox. */
  sent(entry: OutboxEntry, message: MessageDto, via: SendVia): void;
  /** Gone without being sent: discarded after a refusal, or cancelled. */
  discarded?(entry: OutboxEntry): void;
  /** Its files are uploading (bytes so far, of all of them), or stopped uploading (null): done, failed or cancelled. */
  uploading?(entry: OutboxEntry, progress: UploadProgress | null): void;
};

/** `abort` stops its upload under way; `sending` while the message itself is on its way (a Cancel can no longer take it back). */
type Tracked = { entry: OutboxEntry; state: OutboxItemState; abort?: AbortController; sending?: boolean };

const couldNotReach = { ok: false, error: { code: "UNAVAILABLE", message: "Could not reach Parley", retryable: true } } as const;

export class Outbox {
  private readonly items = new Map<string, Tracked>();
  private readonly running = new Set<string>();
  /**
   * Conversations whose queue stopped after a message used its attempts. It shows "failed" with
   * Retry; a wake() (reconnect, back online), a Retry, a new message, or the slow timer resumes it.
   */
  private readonly halted = new Map<string, ReturnType<typeof setTimeout>>();
  private wakers: (() => void)[] = [];
  private lastOrder = 0;
  private stopped = false;
  /** What start() is reading back from the store: a message added meanwhile waits for it, or it would overtake them. */
  private loaded: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      userId: string;
      store: OutboxStore;
      transport: OutboxTransport;
      listener: OutboxListener;
      policy?: RetryPolicy;
      /** How long the server keeps an upload no message took (FILE_UNATTACHED_SECONDS): older ones are uploaded again before sending. */
      uploadsKeptMs?: number;
    },
  ) {}

  private get policy() {
    return this.options.policy ?? DEFAULT_RETRY;
  }

  /** Loads what a previous page left unsent and starts sending it, oldest first. */
  async start(): Promise<OutboxEntry[]> {
    const load = this.options.store.load(this.options.userId);
    this.loaded = load.catch(() => undefined);
    const entries = (await load).sort(byOrder);
    for (const entry of entries) {
      if (this.items.has(entry.clientMsgId)) continue;
      this.lastOrder = Math.max(this.lastOrder, entry.order);
      this.track(entry);
    }
    for (const conversationId of new Set(entries.map((e) => e.conversationId))) this.kick(conversationId);
    return entries;
  }

  /** Persists first, then sends: once this resolves the message survives a reload. */
  async add(input: Omit<OutboxEntry, "userId" | "createdAt" | "order">): Promise<OutboxEntry> {
    this.lastOrder = Math.max(Date.now(), this.lastOrder + 1);
    const entry: OutboxEntry = { ...input, userId: this.options.userId, createdAt: new Date().toISOString(), order: this.lastOrder };
    this.track(entry);
    try {
      await this.options.store.put(entry);
    } catch {
      // Storage can be unavailable (private mode, quota): the message still goes, it just would not survive a reload.
    }
    // Written right after a reload: what the previous page left unsent was written earlier and goes first.
    await this.loaded;
    // Writing into a stopped queue is also a retry: the older messages go first, in order.
    if (this.halted.has(entry.conversationId)) this.resume(entry.conversationId);
    else this.kick(entry.conversationId);
    return entry;
  }

  /** The user's Retry: resumes a halted queue, or puts a refused message back at the end of its queue. */
  retry(clientMsgId: string): void {
    const item = this.items.get(clientMsgId);
    if (!item || item.state.status !== "failed") return;
    const { conversationId } = item.entry;
    if (item.state.retryable && this.halted.has(conversationId)) {
      this.resume(conversationId);
      return;
    }
    this.lastOrder = Math.max(Date.now(), this.lastOrder + 1);
    item.entry = { ...item.entry, order: this.lastOrder };
    void this.options.store.put(item.entry).catch(() => undefined);
    this.setState(item, { status: "sending", error: null, retryable: true, attempts: 0 });
    this.kick(conversationId);
  }

  async discard(clientMsgId: string): Promise<void> {
    const item = this.items.get(clientMsgId);
    if (!item || item.state.status !== "failed") return;
    this.items.delete(clientMsgId);
    await this.options.store.remove(clientMsgId).catch(() => undefined);
    this.options.listener.discarded?.(item.entry);
  }

  /**
   * The person's Cancel: aborts the message's upload and forgets it, whatever its state. Refused
   * (false) while the message itself is on its way: the server may store it whatever happens here.
   */
  async cancel(clientMsgId: string): Promise<boolean> {
    const item = this.items.get(clientMsgId);
    if (!item || item.sending) return false;
    this.items.delete(clientMsgId);
    item.abort?.abort();
    await this.options.store.remove(clientMsgId).catch(() => undefined);
    this.options.listener.discarded?.(item.entry);
    return true;
  }

  /** The connection came back: cut every backoff short and resume halted queues. */
  wake(): void {
    for (const conversationId of [...this.halted.keys()]) this.resume(conversationId);
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.halted.values()) clearTimeout(timer);
    this.halted.clear();
    for (const item of this.items.values()) item.abort?.abort();
    this.wake();
  }

  /** Entries still waiting, in write order. */
  pending(): { entry: OutboxEntry; state: OutboxItemState }[] {
    return [...this.items.values()].sort((a, b) => byOrder(a.entry, b.entry)).map(({ entry, state }) => ({ entry, state: { ...state } }));
  }

  private track(entry: OutboxEntry) {
    const item: Tracked = { entry, state: { status: "sending", error: null, retryable: true, attempts: 0 } };
    this.items.set(entry.clientMsgId, item);
    this.options.listener.changed(entry, { ...item.state });
  }

  private setState(item: Tracked, state: OutboxItemState) {
    item.state = state;
    this.options.listener.changed(item.entry, { ...state });
  }

  private resume(conversationId: string) {
    clearTimeout(this.halted.get(conversationId));
    this.halted.delete(conversationId);
    for (const item of this.items.values()) {
      if (item.entry.conversationId === conversationId && item.state.status === "failed" && item.state.retryable) {
        this.setState(item, { status: "sending", error: null, retryable: true, attempts: 0 });
      }
    }
    this.kick(conversationId);
  }

  private next(conversationId: string): Tracked | undefined {
    let head: Tracked | undefined;
    for (const item of this.items.values()) {
      if (item.entry.conversationId !== conversationId || item.state.status !== "sending") continue;
      if (!head || byOrder(item.entry, head.entry) < 0) head = item;
    }
    return head;
  }

  private kick(conversationId: string) {
    if (this.running.has(conversationId) || this.stopped) return;
    this.running.add(conversationId);
    void this.drain(conversationId).finally(() => {
      this.running.delete(conversationId);
      // Something may have been added after the last look but before the flag cleared.
      if (!this.halted.has(conversationId) && this.next(conversationId)) this.kick(conversationId);
    });
  }

  private async drain(conversationId: string) {
    for (let item = this.next(conversationId); item && !this.stopped; item = this.next(conversationId)) {
      const outcome = await this.deliver(item);
      if (outcome === "halt") {
        this.halted.set(conversationId, setTimeout(() => this.resume(conversationId), this.policy.restMs));
        for (const other of this.items.values()) {
          if (other.entry.conversationId === conversationId && other.state.status === "sending") {
            this.setState(other, { status: "failed", error: item.state.error, retryable: true, attempts: other.state.attempts });
          }
        }
        return;
      }
    }
  }

  private async deliver(item: Tracked): Promise<"done" | "halt"> {
    const { transport } = this.options;
    for (let attempt = 0; !this.stopped; ) {
      // Cancelled while it waited for its next attempt.
      if (this.items.get(item.entry.clientMsgId) !== item) return "done";
      if (transport.offline()) {
        await this.sleep(this.policy.maxDelayMs);
        continue;
      }
      const via = transportFor(attempt, transport.socketUp());
      let ack: Ack<{ message: MessageDto }>;
      try {
        ack = await this.attempt(item, via);
      } catch {
        ack = couldNotReach;
      } finally {
        item.sending = false;
      }
      if (this.items.get(item.entry.clientMsgId) !== item) return "done";
      if (ack.ok) {
        this.items.delete(item.entry.clientMsgId);
        await this.options.store.remove(item.entry.clientMsgId).catch(() => undefined);
        this.options.listener.sent(item.entry, ack.data.message, via);
        return "done";
      }
      attempt += 1;
      if (!ack.error.retryable) {
        this.setState(item, { status: "failed", error: ack.error.message, retryable: false, attempts: attempt });
        return "done";
      }
      this.setState(item, { status: "sending", error: ack.error.message, retryable: true, attempts: attempt });
      if (attempt >= this.policy.attemptsBeforeFailed) {
        this.setState(item, { status: "failed", error: ack.error.message, retryable: true, attempts: attempt });
        return "halt";
      }
      // A rate-limited attempt says when a retry can pass; waiting less would only be refused again.
      const hint = Math.min(ack.error.retryAfterMs ?? 0, this.policy.maxDelayMs);
      await this.sleep(Math.max(backoffDelay(attempt - 1, this.policy), hint));
    }
    return "done";
  }

  /** Uploads whatever of the message's files is not uploaded yet, then sends it referring to them. */
  private async attempt(item: Tracked, via: SendVia): Promise<Ack<{ message: MessageDto }>> {
    const { uploadsKeptMs } = this.options;
    const refreshed = item.entry.files && uploadsKeptMs !== undefined ? forgetStaleUploads(item.entry.files, uploadsKeptMs) : null;
    if (refreshed) {
      item.entry = { ...item.entry, files: refreshed };
      await this.options.store.put(item.entry).catch(() => undefined);
    }
    if (item.entry.files?.some((file) => !file.uploaded)) {
      const failed = await this.uploadFiles(item, item.entry.files);
      if (failed) return failed;
    }
    const { conversationId, clientMsgId, text, replyTo, mentions, files } = item.entry;
    const attachments = files?.map((file) => file.uploaded!.id);
    const input: SendInput = {
      conversationId,
      clientMsgId,
      text,
      ...(replyTo ? { replyTo } : {}),
      ...(mentions?.length ? { mentions } : {}),
      ...(attachments?.length ? { attachments } : {}),
    };
    item.sending = true;
    return this.options.transport.send(input, via);
  }

  private async uploadFiles(item: Tracked, files: OutboxFile[]) {
    const { transport, listener, store } = this.options;
    if (!transport.upload) return { ok: false, error: { code: "INTERNAL", message: "This client cannot upload files", retryable: false } } as const;
    const here = () => this.items.get(item.entry.clientMsgId) === item;
    item.abort = new AbortController();
    try {
      return await uploadMissing({
        files,
        upload: transport.upload,
        signal: item.abort.signal,
        progress: (progress) => here() && listener.uploading?.(item.entry, progress),
        // Stored before the next file goes: a reload from here on resumes after this file.
        saved: async (next) => {
          if (!here()) throw new Error("cancelled");
          item.entry = { ...item.entry, files: next };
          await store.put(item.entry).catch(() => undefined);
        },
      });
    } finally {
      item.abort = undefined;
      listener.uploading?.(item.entry, null);
    }
  }

  /** A backoff that a wake() (reconnect, back online) cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers = this.wakers.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.push(done);
    });
  }
}

function byOrder(a: OutboxEntry, b: OutboxEntry): number {
  return a.order - b.order || (a.clientMsgId < b.clientMsgId ? -1 : a.clientMsgId > b.clientMsgId ? 1 : 0);
}
