"use client";

import { useState } from "react";

/**
 * One request at a time from a settings section: `busy` while it runs, and what went wrong, in
 * words for people (a fetch that never reached the server means the device is offline).
 */
export function useTask(onError?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (failure) {
      setError(failure instanceof TypeError ? "You are offline; try again when you are back online" : (failure as Error).message);
      onError?.();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
