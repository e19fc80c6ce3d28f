"use client";

import { lazy } from "react";
import { preloadParts } from "./lazy-parts";

// The thread itself, a chunk of its own like the parts in lazy-parts.ts: it has nothing to show
// until the engine (loaded after first paint too, see use-chat.ts) has the history.
const load = () => import("./message-list");

export const MessageList = lazy(() => load().then((m) => ({ default: m.MessageList })));

/** Fetches the thread and every other deferred part in the background. */
export function preloadChat() {
  void load().catch(() => undefined);
  preloadParts();
}
