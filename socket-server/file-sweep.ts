import { sweepUnattachedFiles } from "../lib/chat/files";
import { getServerEnv } from "../lib/env";
import { startPeriodic, type Periodic } from "./periodic";

/**
 * How often this server looks for uploads no message took (lib/chat/files.ts): every minute, or a
 * tenth of FILE_UNATTACHED_SECONDS when that is shorter. Several servers may all do it.
 */
const sweepEveryMs = () => Math.min(60_000, Math.max(1_000, (getServerEnv().FILE_UNATTACHED_SECONDS * 1000) / 10));

/** Deletes unattached uploads past FILE_UNATTACHED_SECONDS, every minute. */
export function startFileSweep(): Periodic {
  return startPeriodic({ task: () => sweepUnattachedFiles(), everyMs: sweepEveryMs(), what: "files: sweep of unattached uploads" });
}
