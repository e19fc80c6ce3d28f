import { sweepUnattachedFiles } from "../lib/chat/files";
import { getServerEnv } from "../lib/env";

/**
 * How often this server looks for uploads no message took (lib/chat/files.ts): every minute, or a
 * tenth of FILE_UNATTACHED_SECONDS when that is shorter. Several servers may all do it.
 */
const sweepEveryMs = () => Math.min(60_000, Math.max(1_000, (getServerEnv().FILE_UNATTACHED_SECONDS * 1000) / 10));

/** Deletes unattached uploads past FILE_UNATTACHED_SECONDS, every minute; a failure is reported once until a sweep works again. */
export function startFileSweep(): { stop(): void; sweep(): Promise<number> } {
  let running: Promise<number> | null = null;
  let failing = false;
  const sweep = async (): Promise<number> => {
    running ??= sweepUnattachedFiles()
      .then((count) => {
        failing = false;
        return count;
      })
      .catch((error: Error) => {
        if (!failing) console.error(`[socket] files: sweep of unattached uploads failed, will retry: ${error.message}`);
        failing = true;
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void sweep(), sweepEveryMs()).unref();
  return { stop: () => clearInterval(timer), sweep };
}
