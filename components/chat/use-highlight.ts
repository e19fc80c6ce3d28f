"use client";

import { useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import { loadThrough } from "@/lib/client/load-through";

/**
 * A message shown highlighted for a while (the message list scrolls to it and focuses it): a
 * quoted or pinned one jumped to, or a search result opened.
 */
export function useHighlight(engine: ChatEngine | null) {
  const [highlightId, setHighlightId] = useState<string | null>(null);

  const flash = (id: string, ms: number) => {
    requestAnimationFrame(() => setHighlightId(id));
    setTimeout(() => setHighlightId((current) => (current === id ? null : current)), ms);
  };

  /** To a quoted or pinned message: older pages load until it is there, then it is shown highlighted. */
  const jump = async (conversationId: string, target: { id: string; seq: number }) => {
    if (!engine || !(await loadThrough(engine, conversationId, target.seq))) return;
    setHighlightId(null);
    flash(target.id, 2_000);
  };

  return { highlightId, flash, jump, clear: () => setHighlightId(null) };
}
