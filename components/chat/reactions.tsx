"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { ReactionDto } from "@/lib/schemas/dto";

// The picker's palette; the field under it takes any other emoji (the server checks it is one).
const PALETTE = ["👍", "❤️", "😂", "😮", "😢", "🙏", "🎉", "🔥", "👀", "✅", "👎", "🤔", "😍", "👏", "💯", "🚀"];

/** Who reacted, by name: members the conversation knows, "someone" for those who have left. */
function who(userIds: string[], names: Map<string, string>, me: string): string {
  return userIds.map((id) => (id === me ? "you" : (names.get(id) ?? "someone"))).join(", ");
}

/** The reactions under a message: each emoji with its count; pressing one toggles one's own. */
export function Reactions({
  reactions,
  names,
  me,
  onToggle,
}: {
  reactions: ReactionDto[];
  names: Map<string, string>;
  me: string;
  onToggle: (emoji: string, add: boolean) => void;
}) {
  if (reactions.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1" aria-label="Reactions">
      {reactions.map(({ emoji, userIds }) => {
        const mine = userIds.includes(me);
        const label = `${emoji} ${userIds.length}: ${who(userIds, names, me)}`;
        return (
          <li key={emoji}>
            <button
              type="button"
              aria-pressed={mine}
              aria-label={label}
              title={label}
              data-testid="reaction"
              data-emoji={emoji}
              onClick={() => onToggle(emoji, !mine)}
              className={`rounded-full border px-2 py-0.5 text-xs text-slate-900 ${mine ? "border-indigo-400 bg-indigo-100" : "border-slate-300 bg-white"}`}
            >
              {emoji} <span data-testid="reaction-count">{userIds.length}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

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
    <div role="dialog" aria-label="Choose a reaction" onKeyDown={move} className="mt-1 w-max rounded-md bg-white p-2 text-slate-900 shadow-lg ring-1 ring-slate-200">
      <div className="grid grid-cols-8 gap-1">
        {PALETTE.map((emoji, i) => (
          <button
            key={emoji}
            ref={i === 0 ? first : undefined}
            type="button"
            data-emoji={emoji}
            aria-label={`React with ${emoji}`}
            onClick={() => onPick(emoji)}
            className="rounded p-1 text-lg hover:bg-slate-100 focus:outline-none focus:ring-2 focus:ring-indigo-400"
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
          className="w-28 rounded border border-slate-300 px-2 py-0.5 text-sm"
        />
        <button type="submit" className="rounded border border-slate-300 px-2 text-xs">
          React
        </button>
      </form>
    </div>
  );
}
