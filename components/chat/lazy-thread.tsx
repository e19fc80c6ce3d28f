"use client";

import dynamic from "next/dynamic";
import { lazy } from "react";
import { retrying } from "@/lib/client/chunks";
import { preloadParts } from "./lazy-parts";

// The thread itself, a chunk of its own like the parts in lazy-parts.ts: it has nothing to show
// until the engine (loaded after first paint too, see use-chat.ts) has the history.
const load = retrying(() => import("./message-list"));

export const MessageList = lazy(() => load().then((m) => ({ default: m.MessageList })));

// People search and group creation: rendered on the server like the rest of the sidebar, so the
// search box is on screen at first paint; its code arrives right after and hydrates it.
export const PeoplePanel = dynamic(() => retrying(() => import("./people-panel"))().then((m) => m.PeoplePanel));

// The message box: rendered on the server when a conversation is open, its code (mentions, emoji
// button, the ways in for files) fetched at once by preloadChat. Once that code is here the lazy
// component answers synchronously (a thenable that resolves on the spot), so opening a conversation
// shows the box and puts the cursor in it in the same frame, with no Suspense fallback between.
type ComposerModule = typeof import("./composer");
let composerModule: ComposerModule | null = null;
const loadComposer = retrying(() => import("./composer").then((m) => (composerModule = m)));
export const Composer = lazy((): Promise<{ default: ComposerModule["Composer"] }> => {
  const loaded = composerModule;
  if (!loaded) return loadComposer().then((m) => ({ default: m.Composer }));
  const now = { then: (resolve: (module: { default: ComposerModule["Composer"] }) => void) => resolve({ default: loaded.Composer }) };
  return now as unknown as Promise<{ default: ComposerModule["Composer"] }>;
});

/** Where the message box goes while its code loads: its height, so the thread does not move. */
export function ComposerPlaceholder() {
  return <div className="h-[65px] shrink-0 border-t border-line bg-surface" />;
}

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
