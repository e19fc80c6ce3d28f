"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Ack } from "@/lib/realtime/events";
import type { MessageDto, SearchResult } from "@/lib/schemas/dto";
import type { SearchInput } from "@/lib/schemas/search";

/** How long typing must pause before a search goes out. */
export const SEARCH_DELAY_MS = 250;

export type RunSearch = (input: SearchInput) => Promise<Ack<SearchResult>>;

/**
 * A message search as the panel shows it: `searching` from the first keystroke until the answer
 * for what is typed now arrives (the last answer's results stay, dimmed, meanwhile); `done` with
 * this query's results, pages appended by `more`. An answer to anything but the latest request
 * (an older query, a page of one) is dropped, however late it comes.
 */
export type MessageSearch = {
  status: "idle" | "searching" | "done";
  /** Results of the query shown (the current one once done), newest first. */
  hits: MessageDto[];
  words: string[];
  phrases: string[][];
  partial: boolean;
  /** Another page can be asked for. */
  hasMore: boolean;
  loadingMore: boolean;
  /** The server's sentence (a bad operator: "has: takes file, image, link") or a network failure. */
  error: string | null;
  more: () => void;
};

type Answer = Omit<SearchResult, "expanded"> & { key: string; error: string | null };

const timeZone = () => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

const failed = (result: Ack<SearchResult> | null) => (result ? (result.ok ? null : result.error.message) : "Search failed: check your connection and try again");

export function useMessageSearch(run: RunSearch, query: string, conversationId: string | null): MessageSearch {
  const q = query.trim();
  const key = `${conversationId ?? ""}\n${q}`;
  const [answer, setAnswer] = useState<Answer | null>(null);
  // The page being fetched (query and cursor): a page of an older query never shows as loading.
  const [moreFor, setMoreFor] = useState<string | null>(null);
  // Every request takes the next number; only the latest one's answer is shown.
  const latest = useRef(0);
  const input = useCallback((cursor?: string): SearchInput => {
    const zone = timeZone();
    return { q, ...(conversationId ? { conversationId } : {}), ...(cursor ? { cursor } : {}), ...(zone ? { timeZone: zone } : {}) };
  }, [q, conversationId]);

  useEffect(() => {
    const ticket = ++latest.current;
    if (!q) return;
    const timer = setTimeout(async () => {
      const result = await run(input()).catch(() => null);
      if (ticket !== latest.current) return;
      const error = failed(result);
      const data = result?.ok ? result.data : { hits: [], cursor: null, words: [], phrases: [], partial: false };
      setAnswer({ key, hits: data.hits, cursor: data.cursor, words: data.words, phrases: data.phrases, partial: data.partial, error });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [run, input, key, q]);

  const more = useCallback(() => {
    if (!answer?.cursor || answer.key !== key) return;
    const ticket = ++latest.current;
    setMoreFor(`${key}\n${answer.cursor}`);
    void run(input(answer.cursor))
      .catch(() => null)
      .then((result) => {
        if (ticket !== latest.current) return;
        setMoreFor(null);
        const error = failed(result);
        if (!result?.ok) return setAnswer((before) => (before ? { ...before, error } : before));
        setAnswer((before) => {
          if (!before || before.key !== key) return before;
          const known = new Set(before.hits.map((hit) => hit.id));
          const hits = [...before.hits, ...result.data.hits.filter((hit) => !known.has(hit.id))];
          return { ...before, hits, cursor: result.data.cursor, partial: result.data.partial, error: null };
        });
      });
  }, [answer, key, run, input]);

  if (!q) return { status: "idle", hits: [], words: [], phrases: [], partial: false, hasMore: false, loadingMore: false, error: null, more };
  const current = answer?.key === key;
  const loadingMore = current && moreFor === `${key}\n${answer.cursor}`;
  return {
    status: current ? "done" : "searching",
    hits: answer?.hits ?? [],
    words: answer?.words ?? [],
    phrases: answer?.phrases ?? [],
    partial: current && answer.partial,
    hasMore: current && answer.cursor !== null,
    loadingMore,
    error: current ? answer.error : null,
    more,
  };
}
