"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { conversationTitle } from "@/lib/client/conversation-title";
import { snippet } from "@/lib/client/search-snippet";
import type { ConversationDto, MessageDto } from "@/lib/schemas/dto";
import { fullDate, shortTime } from "./format";
import { SEARCH_RESULTS_ID, type SearchScope } from "./search-shared";
import { useMessageSearch, type MessageSearch, type RunSearch } from "./search-state";


/** Handles a key pressed in the search box (arrows, Enter): true when it was for the results. */
type ResultKeys = (event: KeyboardEvent<HTMLInputElement>) => boolean;

const optionId = (hit: MessageDto) => `search-hit-${hit.id}`;

/** The results of a message search, in the sidebar where the conversation list was. */
export function SearchPanel({
  query,
  scope,
  run,
  conversations,
  me,
  onChoose,
  keysRef,
  onActiveOption,
}: {
  query: string;
  scope: SearchScope | null;
  run: RunSearch;
  conversations: ConversationDto[];
  me: string;
  onChoose: (hit: MessageDto) => void;
  /** Where the box finds this panel's key handling. */
  keysRef: RefObject<ResultKeys | null>;
  onActiveOption: (id: string | null) => void;
}) {
  const search = useMessageSearch(run, query, scope?.id ?? null);
  const [active, setActive] = useState<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const names = useMemo(() => new Map(conversations.map((c) => [c.id, conversationTitle(c, me)])), [conversations, me]);
  const directs = useMemo(() => new Set(conversations.filter((c) => c.kind === "direct").map((c) => c.id)), [conversations]);
  const activeIndex = search.hits.findIndex((hit) => hit.id === active);
  const activeHit = activeIndex >= 0 ? search.hits[activeIndex] : undefined;

  useEffect(() => {
    onActiveOption(activeHit ? optionId(activeHit) : null);
    if (activeHit) document.getElementById(optionId(activeHit))?.scrollIntoView({ block: "nearest" });
  }, [activeHit, onActiveOption]);
  useEffect(() => () => onActiveOption(null), [onActiveOption]);

  useEffect(() => {
    keysRef.current = (event) => {
      const hits = search.hits;
      if (hits.length === 0) return false;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = activeIndex < 0 ? (step > 0 ? 0 : hits.length - 1) : Math.max(0, Math.min(hits.length - 1, activeIndex + step));
        setActive(hits[next]!.id);
        return true;
      }
      if (event.key === "Enter") {
        const hit = activeHit ?? hits[0]!;
        setActive(hit.id);
        onChoose(hit);
        return true;
      }
      return false;
    };
    return () => {
      keysRef.current = null;
    };
  }, [keysRef, search.hits, activeIndex, activeHit, onChoose]);

  const busy = search.status === "searching";
  return (
    <section aria-label="Search results" className="flex min-h-0 flex-1 flex-col border-t border-line">
      <p aria-live="polite" className="sr-only">
        {spoken(search)}
      </p>
      <StatusLine search={search} scope={scope} />
      {search.hits.length > 0 ? (
        <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
          <ul
            ref={list}
            id={SEARCH_RESULTS_ID}
            role="listbox"
            aria-label={scope ? `Messages found in ${scope.name}` : "Messages found"}
            aria-busy={busy}
            className={`flex flex-col gap-0.5 transition-opacity ${busy ? "opacity-60" : ""}`}
          >
            {search.hits.map((hit) => (
              <Result key={hit.id} hit={hit} search={search} name={names.get(hit.conversationId) ?? "A conversation"} direct={directs.has(hit.conversationId)} me={me} active={hit.id === active} onChoose={() => {
                setActive(hit.id);
                onChoose(hit);
              }} />
            ))}
          </ul>
          {search.partial ? (
            <p className="px-2.5 pt-3 text-xs text-muted" data-testid="search-partial">
              Searched part of your history — More results continues.
            </p>
          ) : null}
          {search.hasMore ? (
            <div className="flex justify-center pt-3">
              <button
                type="button"
                disabled={search.loadingMore}
                onClick={search.more}
                className="rounded-full border border-line bg-surface px-3.5 py-1.5 text-sm font-medium text-fg shadow-sm hover:bg-hover disabled:opacity-60"
              >
                {search.loadingMore ? "Loading…" : "More results"}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** What a settled search says aloud; errors are alerts of their own. */
function spoken(search: MessageSearch): string {
  if (search.status !== "done" || search.error) return "";
  const count = search.hits.length;
  if (count === 0) return "No messages found";
  return `${count}${search.hasMore ? " or more" : ""} ${count === 1 ? "message" : "messages"} found`;
}

function StatusLine({ search, scope }: { search: MessageSearch; scope: SearchScope | null }) {
  if (search.status === "idle") {
    return <p className="px-4 py-3 text-sm text-muted">{scope ? `Type to search the messages of ${scope.name}.` : "Type to search every conversation you are in."}</p>;
  }
  if (search.error) {
    return (
      <p role="alert" className="mx-3 my-2 rounded-lg bg-sunken px-3 py-2 text-sm text-danger ring-1 ring-line" data-testid="search-error">
        {search.error}
      </p>
    );
  }
  if (search.status === "searching" && search.hits.length === 0) {
    return (
      <p className="flex items-center gap-2 px-4 py-3 text-sm text-muted" data-testid="search-status">
        <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-line border-t-accent" />
        Searching…
      </p>
    );
  }
  if (search.status === "done" && search.hits.length === 0) {
    return (
      <div className="px-4 py-6 text-center" data-testid="search-empty">
        <p className="text-sm font-medium text-fg">No messages found</p>
        <p className="mt-1 text-xs text-muted">
          {search.partial ? "Searched part of your history; try a narrower search, or More results." : "Words match from their start, whatever the case or accents. Try fewer words, or see the operators (?)."}
        </p>
        {search.hasMore ? (
          <button type="button" onClick={search.more} className="mt-3 rounded-full border border-line bg-surface px-3.5 py-1.5 text-sm font-medium text-fg hover:bg-hover">
            More results
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <p className="px-4 pb-1 pt-2 text-xs font-medium uppercase tracking-wide text-muted" data-testid="search-count">
      {search.status === "searching" ? "Searching…" : `${search.hits.length}${search.hasMore ? "+" : ""} ${search.hits.length === 1 ? "message" : "messages"}`}
    </p>
  );
}

function Result({ hit, search, name, direct, me, active, onChoose }: { hit: MessageDto; search: MessageSearch; name: string; direct: boolean; me: string; active: boolean; onChoose: () => void }) {
  const text = hit.text || (hit.attachments ?? []).map((file) => file.name).join(", ");
  const pieces = snippet(text, search.words, search.phrases);
  return (
    <li
      id={optionId(hit)}
      role="option"
      aria-selected={active}
      data-testid="search-result"
      data-message-id={hit.id}
      onClick={onChoose}
      className={`cursor-pointer rounded-lg px-2.5 py-2 hover:bg-hover ${active ? "bg-selected hover:bg-selected" : ""}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        <span className="min-w-0 truncate text-sm font-semibold text-fg" dir="auto">
          {name}
        </span>
        <time dateTime={hit.createdAt} title={fullDate(hit.createdAt)} className="shrink-0 text-xs text-muted">
          {shortTime(hit.createdAt)}
        </time>
      </div>
      <p className="mt-0.5 line-clamp-3 break-words text-sm text-fg" dir="auto">
        {/* In a direct conversation the other person's name is already the title. */}
        {hit.senderId === me || !direct ? <span className="font-medium text-muted">{hit.senderId === me ? "You" : hit.senderName}: </span> : null}
        {pieces.map((piece, i) =>
          piece.marked ? (
            <mark key={i} className="rounded-sm bg-match px-0.5 text-match-fg">
              {piece.text}
            </mark>
          ) : (
            <span key={i}>{piece.text}</span>
          ),
        )}
      </p>
    </li>
  );
}
