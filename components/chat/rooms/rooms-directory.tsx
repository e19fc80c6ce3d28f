"use client";

// The room directory (loaded when "Rooms" is first opened: lazy-parts.ts): every listed room with
// its topic and member count, searchable by name, by activity or size, live as rooms are created,
// renamed, archived, joined and left. A room opens as a read-only preview with a Join button.
import { useEffect, useMemo, useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import { applyRoomEvent, roomsApi, type RoomSort } from "@/lib/client/rooms-api";
import type { DirectoryRoomDto, RoomDto } from "@/lib/schemas/dto";
import { GroupAvatar } from "../avatar";
import { input } from "../people-panel";
import { Modal } from "../modal";
import { CreateRoomForm } from "./create-room";
import { RoomPreview } from "./room-preview";
import { memberCount, primaryButton } from "./room-style";

const SEARCH_DELAY_MS = 200;

type View = { kind: "list" } | { kind: "preview"; id: string } | { kind: "create" };

/** Whether a live event's room belongs in a list searched for `q` (the server's rule, roughly: each word begins a word of the name). */
function matchesQuery(room: RoomDto, q: string): boolean {
  const fold = (text: string) => text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
  const words = fold(room.name).split(/[^\p{L}\p{N}]+/u);
  return fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean).every((word) => words.some((w) => w.startsWith(word)));
}

export function RoomsDirectory({ engine, memberOf, onOpen, onClose }: { engine: ChatEngine; memberOf: ReadonlySet<string>; onOpen: (id: string) => void; onClose: () => void }) {
  const [view, setView] = useState<View>({ kind: "list" });
  const [q, setQ] = useState("");
  const [sort, setSort] = useState<RoomSort>("activity");
  const [rooms, setRooms] = useState<DirectoryRoomDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await roomsApi.directory(q.trim(), sort);
      if (cancelled) return;
      if (result.ok) {
        setRooms(result.data);
        setError(null);
      } else setError(result.error.message);
    }, q ? SEARCH_DELAY_MS : 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [q, sort]);

  // Live: one listener per event while the directory is open.
  useEffect(() => {
    const socket = engine.client.socket;
    if (!socket) return;
    const heard = ({ room }: { room: RoomDto }) => {
      if (!room.listed || q.trim() === "" || matchesQuery(room, q)) setRooms((list) => (list ? applyRoomEvent(list, room, memberOf) : list));
    };
    socket.on("room:created", heard);
    socket.on("room:updated", heard);
    return () => {
      socket.off("room:created", heard);
      socket.off("room:updated", heard);
    };
  }, [engine, q, memberOf]);

  const shown = useMemo(() => {
    const list = (rooms ?? []).map((room) => ({ ...room, joined: memberOf.has(room.id) }));
    return sort === "size" ? [...list].sort((a, b) => b.memberCount - a.memberCount) : list;
  }, [rooms, memberOf, sort]);

  const title = view.kind === "create" ? "Create a room" : view.kind === "preview" ? "Room preview" : "Rooms";
  return (
    <Modal title={title} onClose={onClose} wide>
      {view.kind === "create" ? (
        <CreateRoomForm
          onCancel={() => setView({ kind: "list" })}
          onCreated={(conversation) => {
            engine.dispatch({ type: "conversation/upsert", conversation });
            onOpen(conversation.id);
          }}
        />
      ) : view.kind === "preview" ? (
        <RoomPreview engine={engine} id={view.id} joined={memberOf.has(view.id)} onBack={() => setView({ kind: "list" })} onOpen={onOpen} />
      ) : (
        <div className="flex flex-col gap-3">
          <div className="flex flex-wrap items-end gap-2">
            <label className="min-w-0 flex-1 text-xs font-medium text-muted">
              Search rooms
              <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Room name" className={input} maxLength={100} />
            </label>
            <button type="button" className={primaryButton} onClick={() => setView({ kind: "create" })}>
              Create room
            </button>
          </div>
          <div role="group" aria-label="Sort rooms" className="flex gap-1 self-start rounded-lg bg-sunken p-0.5 text-sm">
            {(["activity", "size"] as const).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={sort === option}
                onClick={() => setSort(option)}
                className="rounded-md px-3 py-1 text-muted aria-pressed:bg-surface aria-pressed:font-medium aria-pressed:text-fg aria-pressed:shadow-sm"
              >
                {option === "activity" ? "Most active" : "Largest"}
              </button>
            ))}
          </div>
          {error ? <p role="alert" className="text-sm text-danger">{error}</p> : null}
          {rooms === null && !error ? <p className="py-6 text-center text-sm text-muted">Loading rooms…</p> : null}
          {rooms !== null && shown.length === 0 ? (
            <p className="py-6 text-center text-sm text-muted">{q.trim() ? `No room matches “${q.trim()}”.` : "No public rooms yet. Create the first one."}</p>
          ) : null}
          <ul aria-label="Public rooms" aria-live="polite" className="-mx-2 flex flex-col gap-0.5">
            {shown.map((room) => (
              <li key={room.id}>
                <button
                  type="button"
                  data-room-id={room.id}
                  onClick={() => setView({ kind: "preview", id: room.id })}
                  className="flex w-full items-center gap-3 rounded-xl px-2 py-2 text-left hover:bg-hover focus-visible:outline-2 focus-visible:outline-accent"
                >
                  <GroupAvatar id={room.id} name={room.name} size="md" />
                  <span className="flex min-w-0 flex-1 flex-col">
                    <span className="flex items-center gap-2">
                      <span className="truncate font-medium" dir="auto">{room.name}</span>
                      {room.joined ? <span className="shrink-0 rounded bg-selected px-1.5 text-xs font-medium text-fg">Joined</span> : null}
                    </span>
                    <span className="truncate text-sm text-muted" dir="auto">{room.topic || "No topic"}</span>
                  </span>
                  <span className="shrink-0 text-xs text-muted" data-testid="directory-count">{memberCount(room.memberCount)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}
