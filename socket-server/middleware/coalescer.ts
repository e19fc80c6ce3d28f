// Reads that many connections need at once, made together. Every new connection reads its user's
// session epoch, its conversations and its contacts' presence; in a reconnect storm (a restarted
// instance, a network blip) thousands arrive within a second. One query per connection would
// queue thousands of small requests at the database, each paying its fixed cost (about a
// millisecond of CPU on the embedded server) and its round trip. Here, requests that arrive
// while `inFlight` batches are running wait and leave together as the next batch, of at most
// `maxBatch` items: an idle server answers a lone request at once, and a busy one answers many
// with a few queries — the batches grow with the load instead of the queue.
//
// That alone kept batches tiny: the database answers a small query in a few milliseconds, so a
// slot was nearly always free, and a reconnect storm of 2,000 made about 2,200 queries of one to
// three users each, whose fixed cost (the driver's and the database's) was most of the storm's
// CPU. So a batch that is not full leaves no sooner than `gapMs` after the previous one of its
// kind started: a request after a quiet spell still goes at once, and under load the batches fill.
//
// An item that waited `maxWaitMs` for its turn fails with UNAVAILABLE (retryable), as a refused
// lookup would: a client whose handshake gives up after 20 s should hear sooner than that.
import { AppError } from "../../lib/errors";

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void; timer: ReturnType<typeof setTimeout> | null };

export type CoalescerOptions = { maxBatch: number; inFlight: number; maxWaitMs: number; gapMs?: number };

export class Coalescer<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private running = 0;
  private flushScheduled = false;
  private lastStart = -Infinity;
  private gapTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Answers a batch: one output per item, in the same order. */
    private readonly read: (items: I[]) => Promise<O[]>,
    private readonly options: CoalescerOptions,
  ) {}

  load(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const waiting: Waiting<I, O> = { item, resolve, reject, timer: null };
      waiting.timer = setTimeout(() => {
        const index = this.queue.indexOf(waiting);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(new AppError("UNAVAILABLE", "The server is busy setting up connections, please retry"));
      }, this.options.maxWaitMs);
      this.queue.push(waiting);
      this.schedule();
    });
  }

  /** How many wait for a batch now (for logs and tests). */
  get queued(): number {
    return this.queue.length;
  }

  /** After the current tick, so the calls of one tick (a burst of handshakes read off one socket) share a batch. */
  private schedule(): void {
    if (this.flushScheduled || this.running >= this.options.inFlight) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.options.inFlight && this.queue.length > 0) {
      const wait = this.lastStart + (this.options.gapMs ?? 0) - performance.now();
      if (wait > 0 && this.queue.length < this.options.maxBatch) {
        this.gapTimer ??= setTimeout(() => {
          this.gapTimer = null;
          this.flush();
        }, wait);
        return;
      }
      this.lastStart = performance.now();
      const batch = this.queue.splice(0, this.options.maxBatch);
      for (const waiting of batch) if (waiting.timer) clearTimeout(waiting.timer);
      this.running += 1;
      void this.answer(batch).finally(() => {
        this.running -= 1;
        this.schedule();
      });
    }
  }

  private async answer(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outputs = await this.read(batch.map((waiting) => waiting.item));
      if (outputs.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${outputs.length} answers`);
      batch.forEach((waiting, index) => waiting.resolve(outputs[index]!));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
