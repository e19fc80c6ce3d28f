import { indexBehindConversations } from "../lib/search/indexer";

/** How often this server looks for conversations whose changes the search index has not caught up with. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Indexes what a process that stored a change did not get to (it died in between, or the
 * database refused the index write): conversations flagged `searchBehind` (lib/search/indexer.ts),
 * at start and every 10 s. Several servers may all do it; each write only ever moves forward.
 */
export function startSearchSweep(): { stop(): void; sweep(): Promise<number> } {
  let running: Promise<number> | null = null;
  let failing = false;
  const sweep = async (): Promise<number> => {
    running ??= indexBehindConversations()
      .then((count) => {
        failing = false;
        return count;
      })
      .catch((error: Error) => {
        if (!failing) console.error(`[socket] search: indexing what is behind failed, will retry: ${error.message}`);
        failing = true;
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS).unref();
  return { stop: () => clearInterval(timer), sweep };
}
