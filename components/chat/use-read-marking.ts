"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import type { ConversationDto } from "@/lib/schemas/dto";

/**
 * What the reader has had on screen in the open conversation is read, while the tab is visible;
 * scrolled up in the history, the newer messages stay unread. Reaching the end also clears "Mark
 * as unread". Returns what the message list calls as its visible part changes.
 */
export function useReadMarking(engine: ChatEngine | null, active: ConversationDto | null, latestSeq: number) {
  const activeId = active?.id ?? null;
  const [seen, setSeen] = useState<{ id: string | null; seq: number; atBottom: boolean }>({ id: null, seq: 0, atBottom: false });
  const onSeen = useCallback((next: { seq: number; atBottom: boolean }) => setSeen((before) => (before.id === activeId && before.seq === next.seq && before.atBottom === next.atBottom ? before : { id: activeId, ...next })), [activeId]);
  const pendingRead = useRef<(() => void) | null>(null);
  const seenSeq = seen.id === activeId ? seen.seq : 0;
  const seenAtBottom = seen.id === activeId && seen.atBottom;
  useEffect(() => {
    if (!engine || !active) return;
    const upTo = seenAtBottom ? latestSeq : Math.min(seenSeq, latestSeq);
    if (upTo <= active.lastReadSeq && !(active.markedUnread && seenAtBottom)) return;
    if (upTo === 0) return;
    const mark = () => {
      if (document.visibilityState !== "visible") return;
      pendingRead.current = null;
      void engine.markRead(active.id, upTo);
    };
    // Once the scrolling pauses, not for every message that passes by; leaving the conversation
    // sooner still counts what was on screen (below).
    pendingRead.current = mark;
    const timer = setTimeout(mark, 200);
    document.addEventListener("visibilitychange", mark);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", mark);
    };
  }, [engine, active, latestSeq, seenSeq, seenAtBottom]);
  useEffect(() => () => pendingRead.current?.(), [activeId]);
  return onSeen;
}
