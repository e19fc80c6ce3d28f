"use client";

import { useEffect, useState } from "react";
import { searchUsersAction } from "@/app/(chat)/actions";
import type { Ack } from "@/lib/realtime/events";
import type { ConversationDto, UserDto } from "@/lib/schemas/dto";

type Start = (input: { kind: "direct"; userId: string } | { kind: "group"; name: string; memberIds: string[] }) => Promise<Ack<{ conversation: ConversationDto }>>;

/** People matching a typed name or email, looked up once the typing pauses. */
export function usePeopleSearch(query: string) {
  const [results, setResults] = useState<UserDto[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (q.length === 0) return;
    let cancelled = false;
    // Debounced: one request once the typing pauses.
    const timer = setTimeout(async () => {
      const result = await searchUsersAction({ q }).catch(() => null);
      if (!cancelled && result?.ok) setResults(result.data.users);
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);
  return query.trim().length === 0 ? [] : results;
}

export const input =
  "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";

export function PeoplePanel({ onStart, onOpened }: { onStart: Start; onOpened: (id: string) => void }) {
  const [query, setQuery] = useState("");
  const [grouping, setGrouping] = useState(false);
  const [groupName, setGroupName] = useState("");
  const [picked, setPicked] = useState<UserDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const results = usePeopleSearch(query);

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
    <section aria-label="People" className="flex flex-col gap-2 border-b border-slate-200 p-3">
      <label className="text-xs font-medium text-slate-600">
        Search people
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" className={input} />
      </label>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      {results.length > 0 ? (
        <ul aria-label="People found" className="max-h-48 overflow-y-auto rounded-md ring-1 ring-slate-200">
          {results.map((user) => (
            <li key={user.id} className="flex items-center justify-between gap-2 px-3 py-1.5 text-sm">
              <span className="truncate">
                {user.name}
                {user.email ? <span className="text-slate-500"> · {user.email}</span> : null}
              </span>
              {grouping ? (
                <button
                  type="button"
                  className="rounded border border-slate-300 px-2 text-xs"
                  disabled={picked.some((p) => p.id === user.id)}
                  onClick={() => setPicked((list) => [...list, user])}
                  aria-label={`Add ${user.name}`}
                >
                  Add
                </button>
              ) : (
                <button type="button" className="rounded bg-indigo-600 px-2 text-xs text-white" onClick={() => void start({ kind: "direct", userId: user.id })} aria-label={`Message ${user.name}`}>
                  Message
                </button>
              )}
            </li>
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
          <label className="text-xs font-medium text-slate-600">
            Group name
            <input value={groupName} onChange={(e) => setGroupName(e.target.value)} className={input} required maxLength={100} />
          </label>
          <ul aria-label="Group members" className="flex flex-wrap gap-1">
            {picked.map((user) => (
              <li key={user.id} className="flex items-center gap-1 rounded-full bg-indigo-50 px-2 text-xs">
                {user.name}
                <button type="button" aria-label={`Remove ${user.name}`} onClick={() => setPicked((list) => list.filter((p) => p.id !== user.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-semibold text-white disabled:opacity-50" disabled={picked.length < 2 || groupName.trim() === ""}>
              Create group
            </button>
            <button type="button" className="rounded-md border border-slate-300 px-3 py-1 text-sm" onClick={() => setGrouping(false)}>
              Cancel
            </button>
          </div>
          {picked.length < 2 ? <p className="text-xs text-slate-500">Add at least two people.</p> : null}
        </form>
      ) : (
        <button type="button" className="self-start rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100" onClick={() => setGrouping(true)}>
          New group
        </button>
      )}
    </section>
  );
}
