"use client";

import { useEffect, useRef } from "react";

// The operators the server's query language knows (lib/search/query.ts), each with an example
// that goes into the box when chosen.
const OPERATORS = [
  { example: "from:ana", says: "sent by someone whose name starts so (from:me for yours)" },
  { example: "in:design", says: "in conversations whose name starts so" },
  { example: "has:link", says: "with a link; has:file and has:image likewise" },
  { example: "after:2026-11-01", says: "sent after that day (in your time zone)" },
  { example: "before:2026-12-01", says: "sent before that day" },
  { example: '"see you soon"', says: "these words, one after another" },
] as const;

/** A small popover under the search box listing the operators. Escape or a click outside closes it. */
export function SearchHelp({ onClose, onExample }: { onClose: (restoreFocus: boolean) => void; onExample: (example: string) => void }) {
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    panel.current?.querySelector<HTMLElement>("button")?.focus();
    const outside = (event: PointerEvent) => {
      const target = event.target as Node;
      // The toggle button closes it by itself.
      if (panel.current?.contains(target) || (target instanceof Element && target.closest("[aria-label='Search operators']"))) return;
      onClose(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [onClose]);

  return (
    <div
      ref={panel}
      role="dialog"
      aria-label="Search operators"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        event.stopPropagation();
        onClose(true);
      }}
      className="absolute left-3 right-3 top-full z-30 mt-1 rounded-xl bg-raised p-3 text-sm shadow-xl ring-1 ring-line"
      data-testid="search-help"
    >
      <p className="font-semibold text-fg">Search operators</p>
      <p className="mt-0.5 text-xs text-muted">Words match from their start, whatever the case or accents: “cafe” finds “Café”. Combine freely.</p>
      <ul className="mt-2 grid grid-cols-[auto_1fr] items-baseline gap-x-3 gap-y-1.5">
        {OPERATORS.map((operator) => (
          <li key={operator.example} className="col-span-2 grid grid-cols-subgrid items-baseline">
            <button
              type="button"
              onClick={() => onExample(operator.example)}
              className="justify-self-start rounded-md bg-sunken px-1.5 py-0.5 font-mono text-xs text-fg ring-1 ring-line hover:bg-hover"
              aria-label={`Add ${operator.example} to the search`}
            >
              {operator.example}
            </button>
            <span className="text-xs text-muted">{operator.says}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
