"use client";

import dynamic from "next/dynamic";
import { lazy } from "react";
import { preloadParts } from "./lazy-parts";

// The thread itself, a chunk of its own like the parts in lazy-parts.ts: it has nothing to show
// until the engine (loaded after first paint too, see use-chat.ts) has the history.
const load = () => import("./message-list");

export const MessageList = lazy(() => load().then((m) => ({ default: m.MessageList })));

// People search and group creation: rendered on the server like the rest of the sidebar, so the
// search box is on screen at first paint; its code arrives right after and hydrates it.
export const PeoplePanel = dynamic(() => import("./people-panel").then((m) => m.PeoplePanel));

// The message box, the same way: on screen at first paint when a conversation is open, its code
// (mentions, emoji button, the ways in for files) right after. Fetched at once by preloadChat, so
// opening a conversation finds it there; meanwhile a bar of its height keeps the thread in place.
const loadComposer = () => import("./composer");
export const Composer = dynamic(() => loadComposer().then((m) => m.Composer), {
  loading: () => <div className="h-[65px] shrink-0 border-t border-line bg-surface" />,
});

/** Fetches the thread now, and every other deferred part in the background once the page is idle. */
export function preloadChat() {
  void load().catch(() => undefined);
  void loadComposer().catch(() => undefined);
  // The rest waits until the browser is idle: fetched and compiled while the engine connects and
  // loads the history, they made the first message show about 200 ms later.
  const later = () => {
    void import("./markdown/message-text").then((m) => m.preloadMarkdown(), () => undefined);
    preloadParts();
  };
  if ("requestIdleCallback" in window) window.requestIdleCallback(later, { timeout: 3_000 });
  else setTimeout(later, 1_500);
}
