"use client";

import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { retrying } from "@/lib/client/chunks";
import { recentEmoji, rememberEmoji } from "./emoji-recent";

// The full picker (search, categories, every emoji) is fetched only when asked for.
const EmojiPicker = lazy(() => retrying(() => import("./emoji-picker"))().then((m) => ({ default: m.EmojiPicker })));

// The quick row: the most used reactions, after this person's own recent ones.
const QUICK = ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "🔥", "👀", "✅", "👎", "🤔", "😍", "👏", "💯", "🚀"];

/**
 * A keyboard-usable picker: focus starts on the first emoji, arrow keys move along the row,
 * Enter or Space picks, Escape closes (focus goes back to the button that opened it). "More
 * emoji" opens the full picker in its place.
 */
export function ReactionPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  const [more, setMore] = useState(false);
  const [quick] = useState(() => [...new Set([...recentEmoji().slice(0, 8), ...QUICK])].slice(0, 16));
  useEffect(() => first.current?.focus(), []);
  const pick = (emoji: string) => {
    rememberEmoji(emoji);
    onPick(emoji);
  };

  if (more) {
    return (
      <Suspense fallback={<p className="rounded-xl bg-surface p-3 text-sm text-muted shadow-xl ring-1 ring-line">Loading emoji…</p>}>
        <EmojiPicker label="Choose any reaction" onPick={onPick} onClose={onClose} />
      </Suspense>
    );
  }

  const move = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      return onClose();
    }
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[event.key];
    if (at < 0 || step === undefined) return;
    event.preventDefault();
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  };

  return (
    <div role="dialog" aria-label="Choose a reaction" onKeyDown={move} className="z-30 w-max rounded-xl bg-surface p-2 text-fg shadow-xl ring-1 ring-line">
      <div className="grid grid-cols-8 gap-1">
        {quick.map((emoji, i) => (
          <button
            key={emoji}
            ref={i === 0 ? first : undefined}
            type="button"
            data-emoji={emoji}
            aria-label={`React with ${emoji}`}
            onClick={() => pick(emoji)}
            className="rounded-lg p-1 text-lg hover:bg-hover"
          >
            {emoji}
          </button>
        ))}
      </div>
      <button type="button" onClick={() => setMore(true)} className="mt-2 w-full rounded-lg border border-line px-2 py-1 text-sm text-muted hover:bg-hover hover:text-fg">
        More emoji…
      </button>
    </div>
  );
}
