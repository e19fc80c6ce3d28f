"use client";

import { useEffect, useState, type KeyboardEvent, type RefObject } from "react";
import { SearchHelp } from "./search-help";
import { SEARCH_RESULTS_ID, type SearchScope } from "./search-shared";

/** Handles a key pressed in the search box: true when it was handled. */
export type BoxKeys = (event: KeyboardEvent<HTMLInputElement>) => boolean;

/** Whether a key press is typing into something (where "/" is a character, not a shortcut). */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/**
 * The message search's box: the input (a combobox over the results), the "in <conversation>"
 * chip, close, the operators' help, the keyboard shortcuts (Ctrl/⌘+K anywhere, "/" when not
 * typing) and Escape. Rendered on the server; its code is a chunk of its own (sidebar-search.tsx).
 */
export function SearchField({
  query,
  scope,
  onQuery,
  onScope,
  onClose,
  onFocus,
  inputRef,
  resultKeysRef,
  open,
  activeOption,
}: {
  query: string;
  scope: SearchScope | null;
  onQuery: (query: string) => void;
  onScope: (scope: SearchScope | null) => void;
  onClose: () => void;
  onFocus: () => void;
  inputRef: RefObject<HTMLInputElement | null>;
  /** Arrow keys and Enter, for the results panel: true when handled. */
  resultKeysRef: RefObject<BoxKeys | null>;
  /** Whether results show (the combobox is expanded). */
  open: boolean;
  /** The id of the result the arrow keys are on. */
  activeOption: string | null;
}) {
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    const shortcut = (event: globalThis.KeyboardEvent) => {
      const command = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
      if (!command && !slash) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener("keydown", shortcut);
    return () => window.removeEventListener("keydown", shortcut);
  }, [inputRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Escape") {
      if (resultKeysRef.current?.(event)) event.preventDefault();
      return;
    }
    // Escape undoes one thing at a time: the help, then the words typed, then the search.
    event.preventDefault();
    if (helpOpen) setHelpOpen(false);
    else if (query) onQuery("");
    else onClose();
  };

  return (
    <div role="search" aria-label="Messages" className="relative px-3 pb-2">
      <div className="flex h-9 items-center gap-1.5 rounded-lg border border-line bg-sunken pl-2.5 pr-1 focus-within:border-accent focus-within:ring-2 focus-within:ring-accent/30">
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" className="shrink-0 text-muted" aria-hidden>
        <circle cx="11" cy="11" r="7" />
        <path d="M20 20l-3.5-3.5" />
      </svg>
      {scope ? (
        <span className="flex max-w-[45%] shrink-0 items-center gap-0.5 rounded-full bg-selected py-0.5 pl-2 pr-0.5 text-xs font-medium text-fg" data-testid="search-scope">
          <span className="truncate" dir="auto">
            in {scope.name}
          </span>
          <button
            type="button"
            aria-label={`Search all conversations, not only ${scope.name}`}
            title="Search everywhere"
            className="flex size-5 items-center justify-center rounded-full hover:bg-hover"
            onClick={() => {
              onScope(null);
              inputRef.current?.focus();
            }}
          >
            <span aria-hidden>×</span>
          </button>
        </span>
      ) : null}
      <input
        ref={inputRef}
        role="combobox"
        aria-label={scope ? `Search messages in ${scope.name}` : "Search messages"}
        aria-expanded={open}
        aria-controls={SEARCH_RESULTS_ID}
        aria-autocomplete="list"
        aria-activedescendant={open && activeOption ? activeOption : undefined}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        value={query}
        placeholder={scope ? "Search here" : "Search messages"}
        onFocus={onFocus}
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={onKeyDown}
        className="h-full min-w-0 flex-1 bg-transparent text-sm placeholder:text-muted"
        // The box around it shows focus (focus-within); the page-wide :focus-visible outline
        // (globals.css, outside Tailwind's layers, so no utility overrides it) would draw a second one.
        style={{ outline: "none" }}
      />
      {query || scope ? (
        <button type="button" aria-label="Close search" title="Close search (Esc)" className="flex size-7 shrink-0 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg" onClick={onClose}>
          <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" aria-hidden>
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      ) : (
        <kbd className="hidden shrink-0 rounded border border-line px-1.5 font-sans text-[11px] text-muted md:inline" title="Press / or Ctrl K to search" aria-hidden>
          /
        </kbd>
      )}
      <button
        type="button"
        aria-label="Search operators"
        aria-expanded={helpOpen}
        title="Search operators"
        className="flex size-7 shrink-0 items-center justify-center rounded-md text-sm font-semibold text-muted hover:bg-hover hover:text-fg aria-expanded:bg-hover aria-expanded:text-fg"
        onClick={() => setHelpOpen((open) => !open)}
      >
        ?
      </button>
      {helpOpen ? (
        <SearchHelp
            onClose={(restore) => {
              setHelpOpen(false);
              if (restore) inputRef.current?.focus();
            }}
            onExample={(example) => {
              setHelpOpen(false);
              onQuery(query.trim() ? `${query.trim()} ${example}` : example);
              inputRef.current?.focus();
            }}
          />
      ) : null}
      </div>
    </div>
  );
}

/** A conversation header's search button: the same search, inside that conversation. */
export function SearchInButton({ title, pressed, className, onClick }: { title: string; pressed: boolean; className: string; onClick: () => void }) {
  return (
    <button type="button" className={className} aria-label={`Search in ${title}`} title={`Search in ${title}`} aria-pressed={pressed} onClick={onClick}>
      <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
        <circle cx="11" cy="11" r="7" />
        <path d="M20 20l-3.5-3.5" />
      </svg>
    </button>
  );
}
