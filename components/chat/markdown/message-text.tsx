"use client";

import { useMemo, useSyncExternalStore } from "react";

// The renderer (marked's lexer and ./render) is about 15 kB gzipped: fetched after the page
// shows, never part of /chat's first load (scripts/bundle-size.mjs). Until it has arrived a
// message shows as the plain text it is, which is also what most messages stay: text with none of
// Markdown's marks, no URL and no email never needs it.
type Renderer = typeof import("./render");

let renderer: Renderer | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

/** Starts fetching the renderer (once); the chat calls it as soon as it mounts. */
export function preloadMarkdown(): Promise<void> {
  loading ??= import("./render").then(
    (module) => {
      renderer = module;
      for (const listener of listeners) listener();
    },
    () => {
      // A failed fetch (offline) leaves plain text; a later call tries again.
      loading = null;
    },
  );
  return loading;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** Whether the text holds anything Markdown or link detection could change. */
export function mightBeMarkdown(text: string): boolean {
  return /[*_~`>[\]<\\#|!]|^\s*(?:[-+]|\d+[.)])\s|https?:|www\.|@\S+\.|^ {4}/m.test(text);
}

export function MessageText({ text, seq, className = "" }: { text: string; seq?: number; className?: string }) {
  const needs = mightBeMarkdown(text);
  const ready = useSyncExternalStore(subscribe, () => renderer !== null, () => false);
  if (needs && !ready) void preloadMarkdown();
  const rendered = useMemo(() => (needs && ready && renderer ? renderer.renderMarkdown(text) : null), [needs, ready, text]);
  return (
    <div
      dir="auto"
      data-testid="message-text"
      data-seq={seq}
      className={`break-words [overflow-wrap:anywhere] ${rendered ? "space-y-1.5" : "whitespace-pre-wrap"} ${className}`}
    >
      {rendered ?? text}
    </div>
  );
}
