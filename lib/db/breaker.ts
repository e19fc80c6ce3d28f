// A circuit breaker for the database. Once the database has stopped answering (a socket
// timeout, a stalled or refused connection, a failed heartbeat), every further operation fails at
// once with UNAVAILABLE instead of each one waiting out its own timeout, and a background probe
// finds out when the database answers again. Without it, a stalled database costs every request
// the full socket timeout, and requests queued behind one another add theirs up.
import { AppError } from "../errors";

export type BreakerOptions = {
  /** Resolves when the database answers; must bound its own duration. */
  probe: () => Promise<void>;
  /** Pause after a failed probe before the next one. */
  intervalMs?: number;
  log?: (line: string) => void;
  now?: () => number;
};

export type Breaker = {
  /** Null while operations may proceed; otherwise the error to fail them with (counted). */
  check(): AppError | null;
  isOpen(): boolean;
  /** The database is not answering: open (once; repeats are ignored) and start probing. */
  trip(cause: unknown): void;
  /** Calls `listener` once, when the breaker next opens (at once if it is open); returns the unsubscribe. */
  onOpen(listener: (error: AppError) => void): () => void;
};

export const unavailableError = () => new AppError("UNAVAILABLE", "The service is temporarily unavailable, please retry");

const describe = (cause: unknown) => (cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));

export function createBreaker({ probe, intervalMs = 500, log = (line) => console.error(line), now = Date.now }: BreakerOptions): Breaker {
  let openedAt: number | null = null;
  let failedFast = 0;
  let probing = false;
  const listeners = new Set<(error: AppError) => void>();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      // Unref'd: a process that is otherwise done must not stay up to probe a dead database.
      setTimeout(resolve, ms).unref();
    });

  async function probeUntilAnswered() {
    if (probing) return;
    probing = true;
    try {
      while (openedAt !== null) {
        try {
          await probe();
        } catch {
          await pause(intervalMs);
          continue;
        }
        const seconds = ((now() - openedAt) / 1000).toFixed(1);
        log(`[db] database answers again after ${seconds} s (${failedFast} operations failed fast meanwhile)`);
        openedAt = null;
        failedFast = 0;
      }
    } finally {
      probing = false;
    }
  }

  return {
    check() {
      if (openedAt === null) return null;
      failedFast += 1;
      return unavailableError();
    },
    isOpen: () => openedAt !== null,
    trip(cause) {
      if (openedAt !== null) return;
      openedAt = now();
      log(`[db] database not answering (${describe(cause)}): failing fast until it does`);
      const waiting = [...listeners];
      listeners.clear();
      for (const listener of waiting) listener(unavailableError());
      // The first probe goes at once: a single dropped connection should cost milliseconds.
      void probeUntilAnswered();
    },
    onOpen(listener) {
      if (openedAt !== null) {
        listener(unavailableError());
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
