"use client";

import { useEffect, type RefObject } from "react";
import type { ChatEngine } from "@/lib/client/engine";

// Moving between the conversation list and a conversation: where focus goes, and the browser's
// Back and Forward.

/** Below Tailwind's `md` (768 px) one pane shows at a time: the list, or the open conversation. */
const NARROW = "(max-width: 767px)";
const isNarrow = () => typeof window !== "undefined" && window.matchMedia(NARROW).matches;

/**
 * Focus for a conversation just opened: the message box, or on a phone (where the keyboard would
 * cover half the thread) the title. The composer's code may still be on its way (lazy-thread.tsx):
 * it waits for it up to a second, unless the person has moved focus elsewhere meanwhile.
 */
export function focusAfterOpen(heading: RefObject<HTMLElement | null>, composer: RefObject<HTMLElement | null>) {
  const from = document.activeElement;
  const attempt = (framesLeft: number) =>
    requestAnimationFrame(() => {
      const target = isNarrow() ? heading.current : composer.current;
      if (document.activeElement !== from && document.activeElement !== document.body) return;
      if (target) target.focus({ preventScroll: true });
      else if (framesLeft > 0) attempt(framesLeft - 1);
    });
  attempt(60);
}

/** Focus on a conversation's row in the list (back in the list: on the one just left). */
export function focusRow(conversationId: string | null) {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-conversation-id="${conversationId}"]`)?.focus());
}

/** The browser's Back and Forward move between the list and conversations (`/chat?c=<id>`). */
export function useBackForward(engine: ChatEngine | null, onOpened: () => void) {
  useEffect(() => {
    const moved = () => {
      const id = new URLSearchParams(window.location.search).get("c");
      const was = engine?.getState().activeId ?? null;
      if (id && engine?.getState().conversations.some((c) => c.id === id)) {
        void engine.openThread(id);
        onOpened();
      } else {
        engine?.dispatch({ type: "active/set", id: null });
        focusRow(was);
      }
    };
    window.addEventListener("popstate", moved);
    return () => window.removeEventListener("popstate", moved);
    // onOpened only reads refs: the listener is the engine's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine]);
}
