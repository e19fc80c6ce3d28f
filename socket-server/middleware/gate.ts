// At most N connection set-ups at a time read the database; the others wait their turn. In a
// reconnect storm (a restarted instance, a network blip) every client arrives at once: without a
// bound their lookups all start together, each takes longer than the database's timeout, the
// database breaker opens, and every one of them is refused. With it the same work runs in order
// and clients are admitted at the rate the database answers. A wait longer than `maxWaitMs`
// fails with UNAVAILABLE (retryable), as a refused lookup would.
import { AppError } from "../../lib/errors";

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Runs `task` once fewer than `limit` tasks are running (first come, first served). */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await task();
    } finally {
      this.leave();
    }
  }

  /** How many are waiting now (for logs and tests). */
  get queued(): number {
    return this.waiting.length;
  }

  private enter(): Promise<void> {
    if (this.running < this.limit) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const admit = () => {
        clearTimeout(timer);
        this.running += 1;
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(admit);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(new AppError("UNAVAILABLE", "The server is busy setting up connections, please retry"));
      }, this.maxWaitMs);
      this.waiting.push(admit);
    });
  }

  private leave(): void {
    this.running -= 1;
    this.waiting.shift()?.();
  }
}
