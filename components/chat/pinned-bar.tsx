"use client";

import type { MessageDto } from "@/lib/schemas/dto";
import { messagePreview } from "@/lib/schemas/previews";

/** The conversation's pinned messages; choosing one jumps to it, loading older history if needed. */
export function PinnedBar({ pinned, onJump }: { pinned: MessageDto[]; onJump: (message: MessageDto) => void }) {
  if (pinned.length === 0) return null;
  return (
    <nav aria-label="Pinned messages" className="flex shrink-0 items-center gap-2 overflow-x-auto border-b border-line bg-surface px-3 py-1.5 text-sm sm:px-6">
      <span className="shrink-0 text-xs font-semibold uppercase tracking-wide text-muted">
        Pinned ({pinned.length})
      </span>
      {pinned.map((message) => (
        <button
          key={message.id}
          type="button"
          data-testid="pinned-message"
          onClick={() => onJump(message)}
          className="max-w-xs shrink-0 truncate rounded-lg border-l-4 border-amber-500 bg-sunken px-2 py-0.5 text-left text-fg hover:bg-hover"
        >
          {/* A pinned photo without a caption reads "📷 Photo", as in the list. */}
          {message.senderName}: {messagePreview(message)}
        </button>
      ))}
    </nav>
  );
}
