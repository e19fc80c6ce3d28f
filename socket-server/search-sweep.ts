import { indexBehindConversations } from "../lib/search/indexer";
import { startPeriodic, type Periodic } from "./periodic";

/** How often this server looks for conversations whose changes the search index has not caught up with. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Indexes what a process that stored a change did not get to (it died in between, or the
 * database refused the index write): conversations flagged `searchBehind` (lib/search/indexer.ts),
 * at start and every 10 s. Several servers may all do it; each write only ever moves forward.
 */
export function startSearchSweep(): Periodic {
  return startPeriodic({ task: () => indexBehindConversations(), everyMs: SWEEP_EVERY_MS, what: "search: indexing what is behind", atStart: true });
}
