"use client";

import dynamic from "next/dynamic";
import { Suspense, useCallback, useRef, useState, type ReactNode } from "react";
import { retrying } from "@/lib/client/chunks";
import type { ConversationDto, MessageDto } from "@/lib/schemas/dto";
import { SearchPanel } from "./lazy-parts";
import type { BoxKeys } from "./search-field";
import type { SearchScope } from "./search-shared";
import type { RunSearch } from "./search-state";

// The message search. Only its state is in the page's first load: the box is rendered on the
// server like the people search (lazy-thread.tsx), so it is on screen at first paint, and its code
// arrives right after; the results panel is a chunk of its own (lazy-parts.ts).
const SearchField = dynamic(() => retrying(() => import("./search-field"))().then((m) => m.SearchField));
export const SearchInButton = dynamic(() => retrying(() => import("./search-field"))().then((m) => m.SearchInButton));

/** The message search's state, kept by the chat so a conversation's header can open it too. */
export function useSearchUi() {
  const [query, setQuery] = useState("");
  const [scope, setScope] = useState<SearchScope | null>(null);
  // On a phone (one pane) the search shows in place of the open conversation until a result is chosen.
  const [pane, setPane] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  /** Search inside one conversation (its header's search button). */
  const within = useCallback((conversation: SearchScope) => {
    setScope(conversation);
    setPane(true);
    requestAnimationFrame(() => inputRef.current?.focus());
  }, []);
  const close = useCallback(() => {
    setQuery("");
    setScope(null);
    setPane(false);
  }, []);
  return { query, setQuery, scope, setScope, pane, setPane, inputRef, searching: query.trim() !== "" || scope !== null, within, close };
}

export type SearchUi = ReturnType<typeof useSearchUi>;

/** The box, and while searching the results in place of what the sidebar shows otherwise (`children`). */
export function SidebarSearch({ query, setQuery, scope, setScope, setPane, inputRef, searching, close, run, conversations, me, onChoose, children }: SearchUi & {
  run: RunSearch | null;
  conversations: ConversationDto[];
  me: string;
  onChoose: (hit: MessageDto) => void;
  children: ReactNode;
}) {
  const resultKeys = useRef<BoxKeys | null>(null);
  const [activeOption, setActiveOption] = useState<string | null>(null);
  const open = searching && run !== null;
  return (
    <>
      <SearchField
        query={query}
        scope={scope}
        onQuery={setQuery}
        onScope={setScope}
        onClose={close}
        onFocus={() => setPane(true)}
        inputRef={inputRef}
        resultKeysRef={resultKeys}
        open={open}
        activeOption={activeOption}
      />
      {open ? (
        <Suspense fallback={<p className="px-4 py-3 text-sm text-muted">Searching…</p>}>
          <SearchPanel query={query} scope={scope} run={run} conversations={conversations} me={me} onChoose={onChoose} keysRef={resultKeys} onActiveOption={setActiveOption} />
        </Suspense>
      ) : (
        children
      )}
    </>
  );
}
