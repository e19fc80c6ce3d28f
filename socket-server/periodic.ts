/** A sweep this server runs now and then, one run at a time; a failure is reported once until a run works again. */
export type Periodic = { stop(): void; run(): Promise<number> };

/**
 * Runs `task` every `everyMs` (and at once when `atStart`), never two runs at once: a call while
 * one runs gets that run's count. A failing run logs `what` once and counts 0; the next retries.
 */
export function startPeriodic({ task, everyMs, what, atStart = false }: { task: () => Promise<number>; everyMs: number; what: string; atStart?: boolean }): Periodic {
  let running: Promise<number> | null = null;
  let failing = false;
  const run = (): Promise<number> => {
    running ??= task()
      .then((count) => {
        failing = false;
        return count;
      })
      .catch((error: Error) => {
        if (!failing) console.error(`[socket] ${what} failed, will retry: ${error.message}`);
        failing = true;
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  if (atStart) void run();
  const timer = setInterval(() => void run(), everyMs).unref();
  return { stop: () => clearInterval(timer), run };
}
