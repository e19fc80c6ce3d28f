"use client";

import { useEffect, useId, useRef, useState } from "react";

// The picker's palette; the field under it takes any other emoji (the server checks it is one).
const PALETTE = ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "🔥", "👀", "✅", "👎", "🤔", "😍", "👏", "💯", "🚀"];

/**
 * A keyboard-usable picker: focus starts on the first emoji, arrow keys move along the palette,
 * Enter or Space picks, Escape closes (focus goes back to the button that opened it).
 */
export function ReactionPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  const [other, setOther] = useState("");
  const otherId = useId();
  useEffect(() => first.current?.focus(), []);

  const move = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      return onClose();
    }
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>("button[data-emoji]")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[event.key];
    if (at < 0 || step === undefined) return;
    event.preventDefault();
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  };

  return (
    <div role="dialog" aria-label="Choose a reaction" onKeyDown={move} className="z-30 w-max rounded-xl bg-surface p-2 text-fg shadow-xl ring-1 ring-line">
      <div className="grid grid-cols-8 gap-1">
        {PALETTE.map((emoji, i) => (
          <button
            key={emoji}
            ref={i === 0 ? first : undefined}
            type="button"
            data-emoji={emoji}
            aria-label={`React with ${emoji}`}
            onClick={() => onPick(emoji)}
            className="rounded-lg p-1 text-lg hover:bg-hover"
          >
            {emoji}
          </button>
        ))}
      </div>
      <form
        className="mt-2 flex gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          if (other.trim()) onPick(other.trim());
        }}
      >
        <label className="sr-only" htmlFor={otherId}>
          Any emoji
        </label>
        <input
          id={otherId}
          value={other}
          onChange={(event) => setOther(event.target.value)}
          placeholder="Any emoji"
          className="w-28 rounded-md border border-line bg-surface px-2 py-0.5 text-sm text-fg"
        />
        <button type="submit" className="rounded-md border border-line px-2 text-xs hover:bg-hover">
          React
        </button>
      </form>
    </div>
  );
}
