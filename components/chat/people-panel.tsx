"use client";

import { useEffect, useId, useState, type ReactNode } from "react";
import { searchUsersAction } from "@/app/(chat)/actions";
import type { Ack } from "@/lib/realtime/events";
import type { ConversationDto, UserDto } from "@/lib/schemas/dto";
import { learnAvatars } from "@/lib/client/avatars";

type Start = (input: { kind: "direct"; userId: string } | { kind: "group"; name: string; memberIds: string[] }) => Promise<Ack<{ conversation: ConversationDto }>>;

const SEARCH_DELAY_MS = 200;

/**
 * A people search as the panel shows it. `searching` from the first keystroke until the answer
 * for what is typed now arrives (the previous answer's people stay meanwhile); only then `done`,
 * so "no one matches" is never said about a half-typed name.
 */
export type PeopleSearch =
  | { status: "idle"; query: ""; users: UserDto[]; error: null }
  | { status: "searching"; query: string; users: UserDto[]; error: null }
  | { status: "done"; query: string; users: UserDto[]; error: string | null };

/** People matching a typed name or email, looked up once the typing pauses. */
export function usePeopleSearchState(query: string): PeopleSearch {
  const q = query.trim();
  const [answer, setAnswer] = useState<{ query: string; users: UserDto[]; error: string | null } | null>(null);
  useEffect(() => {
    if (q.length === 0) return;
    let cancelled = false;
    // Debounced: one request once the typing pauses.
    const timer = setTimeout(async () => {
      const result = await searchUsersAction({ q }).catch(() => null);
      if (cancelled) return;
      if (result?.ok) {
        learnAvatars(result.data.users);
        setAnswer({ query: q, users: result.data.users, error: null });
      }
      else setAnswer({ query: q, users: [], error: result ? result.error.message : "Search failed: check your connection and try again" });
    }, SEARCH_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [q]);
  if (q.length === 0) return { status: "idle", query: "", users: [], error: null };
  if (answer?.query !== q) return { status: "searching", query: q, users: answer?.users ?? [], error: null };
  return { status: "done", query: q, users: answer.users, error: answer.error };
}

/** The people found for `query` (the previous answer's while a new one is on its way). */
export function usePeopleSearch(query: string): UserDto[] {
  return usePeopleSearchState(query).users;
}

export const input =
  "mt-1 w-full rounded-lg border border-line bg-sunken px-3 py-1.5 text-sm text-fg placeholder:text-muted focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/30";

// This panel's own look (the dark variants wait for the dark class on <html>); `input` above is
// what the group panel shares.
const field =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500/40 " +
  "dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-500 dark:focus:border-indigo-400";
const focusRing = "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-1 dark:focus-visible:ring-indigo-400 dark:focus-visible:ring-offset-slate-900";
const primary = `rounded-md bg-indigo-600 font-semibold text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-50 dark:bg-indigo-500 dark:hover:bg-indigo-400 ${focusRing}`;
const secondary = `rounded-md border border-slate-300 text-slate-700 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800 ${focusRing}`;
const small = "px-2.5 py-1 text-xs";
const regular = "px-3 py-1 text-sm";

/** What a search that settled says aloud: how many were found, or that no one was. Errors have their alert. */
function spokenStatus(search: PeopleSearch): string {
  if (search.status !== "done" || search.error) return "";
  const count = search.users.length;
  if (count === 0) return `No one matches “${search.query}”`;
  return `${count} ${count === 1 ? "person" : "people"} found`;
}

/** One person found: their name, and what tells them from someone of the same name. */
function PersonRow({ user, action }: { user: UserDto; action: (describedBy: string) => ReactNode }) {
  const id = useId();
  const detail = user.email ?? user.emailHint;
  return (
    <li className="flex items-center justify-between gap-3 px-3 py-2">
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium text-slate-900 dark:text-slate-100">{user.name}</span>
        {detail ? (
          <span id={id} className="block truncate text-xs text-slate-500 dark:text-slate-400">
            {detail}
          </span>
        ) : null}
      </span>
      {action(detail ? id : "")}
    </li>
  );
}

export function PeoplePanel({ onStart, onOpened }: { onStart: Start; onOpened: (id: string) => void }) {
  const [query, setQuery] = useState("");
  const [grouping, setGrouping] = useState(false);
  const [groupName, setGroupName] = useState("");
  const [picked, setPicked] = useState<UserDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = usePeopleSearchState(query);
  const results = search.users;
  const noMatch = search.status === "done" && !search.error && results.length === 0;

  const start = async (request: Parameters<Start>[0]) => {
    setError(null);
    const result = await onStart(request);
    if (!result.ok) return setError(result.error.message);
    setQuery("");
    setGrouping(false);
    setPicked([]);
    setGroupName("");
    onOpened(result.data.conversation.id);
  };

  return (
    <section aria-label="People" className="flex flex-col gap-2 border-b border-slate-200 p-3 dark:border-slate-800">
      <label className="text-xs font-medium text-slate-600 dark:text-slate-400">
        Search people
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" className={field} />
      </label>
      {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
      {search.error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{search.error}</p> : null}
      {/* Always in the page, so screen readers hear it change; not role="status", which is the connection's. */}
      <p aria-live="polite" className="sr-only">
        {spokenStatus(search)}
      </p>
      {search.status === "searching" ? (
        <p className="flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400" data-testid="people-search-status">
          <span aria-hidden="true" className="size-3 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-500 dark:border-slate-600 dark:border-t-indigo-400" />
          Searching…
        </p>
      ) : noMatch ? (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="people-search-status">
          No one matches “{search.query}”
        </p>
      ) : null}
      {results.length > 0 ? (
        <ul
          aria-label="People found"
          aria-busy={search.status === "searching"}
          className={`max-h-56 divide-y divide-slate-100 overflow-y-auto rounded-md bg-white ring-1 ring-slate-200 transition-opacity dark:divide-slate-800 dark:bg-slate-900 dark:ring-slate-700 ${search.status === "searching" ? "opacity-60" : ""}`}
        >
          {results.map((user) => (
            <PersonRow
              key={user.id}
              user={user}
              action={(describedBy) =>
                grouping ? (
                  <button
                    type="button"
                    className={`${secondary} ${small}`}
                    disabled={picked.some((p) => p.id === user.id)}
                    onClick={() => setPicked((list) => [...list, user])}
                    aria-label={`Add ${user.name}`}
                    aria-describedby={describedBy || undefined}
                  >
                    Add
                  </button>
                ) : (
                  <button
                    type="button"
                    className={`${primary} ${small}`}
                    onClick={() => void start({ kind: "direct", userId: user.id })}
                    aria-label={`Message ${user.name}`}
                    aria-describedby={describedBy || undefined}
                  >
                    Message
                  </button>
                )
              }
            />
          ))}
        </ul>
      ) : null}
      {grouping ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            void start({ kind: "group", name: groupName, memberIds: picked.map((p) => p.id) });
          }}
        >
          <label className="text-xs font-medium text-slate-600 dark:text-slate-400">
            Group name
            <input value={groupName} onChange={(e) => setGroupName(e.target.value)} className={field} required maxLength={100} />
          </label>
          <ul aria-label="Group members" className="flex flex-wrap gap-1">
            {picked.map((user) => (
              <li key={user.id} className="flex items-center gap-1 rounded-full bg-indigo-50 px-2 text-xs text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200">
                {user.name}
                <button type="button" className={`rounded-full ${focusRing}`} aria-label={`Remove ${user.name}`} onClick={() => setPicked((list) => list.filter((p) => p.id !== user.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <button
              type="submit"
              className={`${primary} ${regular}`}
              disabled={picked.length < 2 || groupName.trim() === ""}
            >
              Create group
            </button>
            <button type="button" className={`${secondary} ${regular}`} onClick={() => setGrouping(false)}>
              Cancel
            </button>
          </div>
          {picked.length < 2 ? <p className="text-xs text-slate-500 dark:text-slate-400">Add at least two people.</p> : null}
        </form>
      ) : (
        <button
          type="button"
          className={`self-start ${secondary} ${regular}`}
          onClick={() => setGrouping(true)}
        >
          New group
        </button>
      )}
    </section>
  );
}
