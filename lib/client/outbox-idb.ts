// The browser's outbox storage: IndexedDB, so unsent messages survive a reload, a crash or a
// closed tab. One object store keyed by clientMsgId; entries carry their userId, so an account
// signing in on a shared browser never sends another account's messages.
import { MemoryOutboxStore, type OutboxEntry, type OutboxStore } from "./outbox-store";

const DB_NAME = "parley";
const STORE = "outbox";
const VERSION = 1;

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error("transaction aborted"));
  });
}

export class IndexedDbOutboxStore implements OutboxStore {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, VERSION);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: "clientMsgId" });
        store.createIndex("userId", "userId");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("IndexedDB upgrade blocked by another tab"));
    });
    // A failed open is retried next time instead of being cached.
    this.db.catch(() => (this.db = null));
    return this.db;
  }

  async load(userId: string): Promise<OutboxEntry[]> {
    const db = await this.open();
    const index = db.transaction(STORE, "readonly").objectStore(STORE).index("userId");
    return promised(index.getAll(IDBKeyRange.only(userId))) as Promise<OutboxEntry[]>;
  }

  async put(entry: OutboxEntry): Promise<void> {
    const db = await this.open();
    const transaction = db.transaction(STORE, "readwrite");
    transaction.objectStore(STORE).put(entry);
    await done(transaction);
  }

  async remove(clientMsgId: string): Promise<void> {
    const db = await this.open();
    const transaction = db.transaction(STORE, "readwrite");
    transaction.objectStore(STORE).delete(clientMsgId);
    await done(transaction);
  }
}

/** IndexedDB where the browser allows it; otherwise memory (a message then lives only as long as the page). */
export class BrowserOutboxStore implements OutboxStore {
  private readonly idb = typeof indexedDB === "undefined" ? null : new IndexedDbOutboxStore();
  private readonly memory = new MemoryOutboxStore();
  private usable: Promise<boolean> | null = null;

  private backend(): Promise<OutboxStore> {
    this.usable ??= this.idb ? this.idb.load("").then(() => true, () => false) : Promise.resolve(false);
    return this.usable.then((ok) => (ok && this.idb ? this.idb : this.memory));
  }

  async load(userId: string) {
    return (await this.backend()).load(userId);
  }
  async put(entry: OutboxEntry) {
    return (await this.backend()).put(entry);
  }
  async remove(clientMsgId: string) {
    return (await this.backend()).remove(clientMsgId);
  }
}
