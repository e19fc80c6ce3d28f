"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { recentEmoji, rememberEmoji } from "./emoji-recent";

// The full emoji set (emojibase's English data, about 85 kB gzipped) is a chunk of its own,
// fetched the first time a picker opens, never with the page.
type Emoji = { unicode: string; label: string; tags: string[]; group: number; order: number };
type Raw = { unicode: string; label: string; tags?: string[]; group?: number; order?: number };

const GROUPS = [
  { group: 0, name: "Smileys & emotion", icon: "😀" },
  { group: 1, name: "People & body", icon: "👋" },
  { group: 3, name: "Animals & nature", icon: "🐻" },
  { group: 4, name: "Food & drink", icon: "🍔" },
  { group: 5, name: "Travel & places", icon: "🚗" },
  { group: 6, name: "Activities", icon: "⚽" },
  { group: 7, name: "Objects", icon: "💡" },
  { group: 8, name: "Symbols", icon: "❤️" },
  { group: 9, name: "Flags", icon: "🏁" },
] as const;

const COLUMNS = 8;

let data: Promise<Emoji[]> | null = null;
function loadEmoji(): Promise<Emoji[]> {
  data ??= import("emojibase-data/en/compact.json").then(
    (module) =>
      ((module.default ?? module) as unknown as Raw[])
        // Group 2 holds skin-tone and hair components, not emoji to send on their own.
        .filter((e): e is Raw & { group: number } => e.group !== undefined && e.group !== 2)
        .map((e) => ({ unicode: e.unicode, label: e.label, tags: e.tags ?? [], group: e.group, order: e.order ?? 0 }))
        .sort((a, b) => a.order - b.order),
    (error: unknown) => {
      data = null;
      throw error;
    },
  );
  return data;
}

/** Every word of the query starts a word of the emoji's name or one of its tags. */
function matches(emoji: Emoji, words: string[]): boolean {
  const haystack = [...emoji.label.toLowerCase().split(/[\s:_-]+/), ...emoji.tags];
  return words.every((word) => haystack.some((candidate) => candidate.startsWith(word)));
}

/**
 * Search, categories and recently used, for the composer and for reactions. Focus starts in the
 * search box; ↓ enters the grid, arrow keys move in it, Enter picks, Escape closes (the opener
 * gets focus back).
 */
export function EmojiPicker({ label, onPick, onClose }: { label: string; onPick: (emoji: string) => void; onClose: () => void }) {
  const [all, setAll] = useState<Emoji[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState("");
  const [recent] = useState(recentEmoji);
  const grid = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => {
    search.current?.focus();
    let live = true;
    loadEmoji().then(
      (emoji) => live && setAll(emoji),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  const normalized = query.trim().toLowerCase();
  const words = normalized.split(/\s+/).filter(Boolean);
  const found = useMemo(() => {
    const terms = normalized.split(/\s+/).filter(Boolean);
    return all && terms.length > 0 ? all.filter((e) => matches(e, terms)).slice(0, 120) : null;
  }, [all, normalized]);
  const byLabel = useMemo(() => new Map((all ?? []).map((e) => [e.unicode, e.label])), [all]);

  const pick = (emoji: string) => {
    rememberEmoji(emoji);
    onPick(emoji);
  };

  const move = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      return onClose();
    }
    const buttons = [...(grid.current?.querySelectorAll<HTMLButtonElement>("button[data-emoji]") ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "ArrowDown" && document.activeElement === search.current) {
      event.preventDefault();
      return buttons[0]?.focus();
    }
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (at < 0 || step === undefined) return;
    event.preventDefault();
    if (at + step < 0) return search.current?.focus();
    buttons[Math.min(buttons.length - 1, at + step)]?.focus();
  };

  const cell = (emoji: string, name: string) => (
    <button
      key={emoji}
      type="button"
      data-emoji={emoji}
      aria-label={name}
      title={name}
      onClick={() => pick(emoji)}
      className="flex h-9 w-9 items-center justify-center rounded-lg text-xl hover:bg-hover focus-visible:bg-hover"
    >
      {emoji}
    </button>
  );

  return (
    <div role="dialog" aria-label={label} onKeyDown={move} className="flex w-[min(20.5rem,calc(100vw-1rem))] flex-col rounded-xl bg-surface text-fg shadow-xl ring-1 ring-line">
      <div className="border-b border-line p-2">
        <input
          ref={search}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Search emoji"
          aria-label="Search emoji"
          className="w-full rounded-lg border border-line bg-sunken px-3 py-1.5 text-sm text-fg placeholder:text-muted focus:border-accent focus:outline-none"
        />
      </div>
      {words.length === 0 && all ? (
        <nav aria-label="Emoji categories" className="flex justify-between border-b border-line px-1 py-1">
          {GROUPS.map(({ group, name, icon }) => (
            <button
              key={group}
              type="button"
              aria-label={name}
              title={name}
              className="flex h-8 w-8 items-center justify-center rounded-md text-base hover:bg-hover"
              onClick={() => grid.current?.querySelector(`[data-group="${group}"]`)?.scrollIntoView({ block: "start" })}
            >
              {icon}
            </button>
          ))}
        </nav>
      ) : null}
      <div ref={grid} className="h-64 overflow-y-auto px-2 pb-2">
        {failed ? <p className="p-3 text-sm text-muted">Emoji could not be loaded. Check the connection and try again.</p> : null}
        {!all && !failed ? <p className="p-3 text-sm text-muted">Loading emoji…</p> : null}
        {found ? (
          found.length === 0 ? (
            <p className="p-3 text-sm text-muted">No emoji match “{query.trim()}”.</p>
          ) : (
            <section aria-label="Search results" className="grid grid-cols-8 pt-2">
              {found.map((e) => cell(e.unicode, e.label))}
            </section>
          )
        ) : all ? (
          <>
            {recent.length > 0 ? (
              <section aria-label="Recently used">
                <h3 className="sticky top-0 bg-surface py-1.5 text-xs font-semibold text-muted">Recently used</h3>
                <div className="grid grid-cols-8">{recent.map((emoji) => cell(emoji, byLabel.get(emoji) ?? emoji))}</div>
              </section>
            ) : null}
            {GROUPS.map(({ group, name }) => (
              <section key={group} aria-label={name} data-group={group}>
                <h3 className="sticky top-0 bg-surface py-1.5 text-xs font-semibold text-muted">{name}</h3>
                <div className="grid grid-cols-8">{all.filter((e) => e.group === group).map((e) => cell(e.unicode, e.label))}</div>
              </section>
            ))}
          </>
        ) : null}
      </div>
    </div>
  );
}
