"use client";

import type { MessageDto } from "@/lib/schemas/dto";

/** The conversation's pinned messages; choosing one jumps to it, loading older history if needed. */
export function PinnedBar({ pinned, onJump }: { pinned: MessageDto[]; onJump: (message: MessageDto) => void }) {
  if (pinned.length === 0) return null;
  return (
    <nav aria-label="Pinned messages" className="flex items-center gap-2 overflow-x-auto border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm">
      <span className="shrink-0 font-semibold text-amber-900">
        <span aria-hidden>📌 </span>Pinned ({pinned.length})
      </span>
      {pinned.map((message) => (
        <button
          key={message.id}
          type="button"
          data-testid="pinned-message"
          onClick={() => onJump(message)}
          className="max-w-xs shrink-0 truncate rounded border border-amber-300 bg-white px-2 py-0.5 text-left text-slate-800 hover:bg-amber-100"
        >
          {message.senderName}: {message.text}
        </button>
      ))}
    </nav>
  );
}
