"use client";

// A call in the thread: a centred row, not a bubble (the server wrote it, for both people), told
// from the reader's side ("Voice call · No answer" to the caller, "Missed voice call" to the callee).
import { callEntryView } from "@/lib/client/calls/entry";
import type { MessageDto } from "@/lib/schemas/dto";
import { clockTime } from "./format";

export function CallEntry({ message, me, onCall }: { message: MessageDto; me: string; onCall?: (media: "audio" | "video") => void }) {
  const entry = message.call;
  if (!entry) return null;
  const view = callEntryView(entry, me);
  const video = entry.media === "video";
  return (
    <div className="my-2 flex justify-center" data-testid="call-entry" data-seq={message.seq} data-outcome={entry.outcome}>
      <div className="flex items-center gap-3 rounded-2xl bg-surface py-2 pl-2 pr-2 text-sm shadow-sm ring-1 ring-line">
        <span className={`flex h-9 w-9 items-center justify-center rounded-full ${view.alert ? "bg-danger/10 text-danger" : "bg-accent/10 text-accent"}`} aria-hidden>
          {video ? (
            <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
              <rect x="2" y="6" width="14" height="12" rx="2" />
              <path d="m16 10 6-3.5v11L16 14" />
            </svg>
          ) : (
            <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
              <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z" />
            </svg>
          )}
        </span>
        <span className="min-w-0">
          <span className={`block font-medium ${view.alert ? "text-danger" : "text-fg"}`} data-testid="call-entry-title">
            {view.title}
          </span>
          <span className="flex items-center gap-1 text-xs text-muted">
            <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
              {view.direction === "incoming" ? <path d="M17 7 7 17M7 9v8h8" /> : <path d="M7 17 17 7M9 7h8v8" />}
            </svg>
            {view.direction === "incoming" ? "Incoming" : "Outgoing"} · <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
          </span>
        </span>
        {onCall ? (
          <button type="button" onClick={() => onCall(entry.media)} className="ml-2 rounded-full px-3 py-1.5 text-xs font-semibold text-accent ring-1 ring-line hover:bg-hover">
            Call back
          </button>
        ) : null}
      </div>
    </div>
  );
}
