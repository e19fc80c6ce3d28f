// What the outbox keeps of a message until the server has it, and where: the store interface the
// browser implements with IndexedDB (outbox-idb.ts) and Node tests with memory.
import type { OutboxFile } from "./outbox-files";

export type OutboxEntry = {
  clientMsgId: string;
  userId: string;
  conversationId: string;
  text: string;
  /** The message this one replies to, and the members it mentions, if any. */
  replyTo?: string;
  mentions?: string[];
  /** Files it carries, in the order shown; `text` is then their caption and may be "". */
  files?: OutboxFile[];
  createdAt: string;
  /** Write order; strictly increasing within one outbox. */
  order: number;
};

export interface OutboxStore {
  load(userId: string): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(clientMsgId: string): Promise<void>;
}

export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();
  async load(userId: string) {
    return [...this.entries.values()].filter((e) => e.userId === userId);
  }
  async put(entry: OutboxEntry) {
    this.entries.set(entry.clientMsgId, { ...entry });
  }
  async remove(clientMsgId: string) {
    this.entries.delete(clientMsgId);
  }
}
