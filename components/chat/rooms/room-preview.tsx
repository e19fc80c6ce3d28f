"use client";

import { useEffect, useRef, useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import { roomsApi } from "@/lib/client/rooms-api";
import type { MessageDto, RoomDto, RoomPreviewDto } from "@/lib/schemas/dto";
import { GroupAvatar } from "../avatar";
import { shortTime } from "../format";
import { memberCount, primaryButton } from "./room-style";

/**
 * A read-only look at a room before joining: its name, topic, count and recent messages. Nothing
 * here can send, react or mark anything read; Join makes the person a member and opens the room.
 */
export function RoomPreview({ engine, id, joined, onBack, onOpen }: { engine: ChatEngine; id: string; joined: boolean; onBack: () => void; onOpen: (id: string) => void }) {
  const [preview, setPreview] = useState<RoomPreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The row that opened it is gone: focus comes here, so the keyboard (and Escape) stays in the dialog.
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);

  useEffect(() => {
    let cancelled = false;
    void roomsApi.preview(id).then((result) => {
      if (cancelled) return;
      if (result.ok) setPreview(result.data);
      else setError(result.error.code === "NOT_FOUND" ? "This room is no longer open to join." : result.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [id]);

  // The count and topic stay live while the preview is open.
  useEffect(() => {
    const socket = engine.client.socket;
    if (!socket) return;
    const heard = ({ room }: { room: RoomDto }) => {
      if (room.id === id) setPreview((before) => (before ? { ...before, room: { ...room, joined: before.room.joined } } : before));
    };
    socket.on("room:updated", heard);
    return () => void socket.off("room:updated", heard);
  }, [engine, id]);

  const join = async () => {
    setBusy(true);
    setError(null);
    const result = await roomsApi.join(engine.client, id);
    setBusy(false);
    if (!result.ok) return setError(result.error.code === "NOT_FOUND" ? "This room is no longer open to join." : result.error.message);
    engine.dispatch({ type: "conversation/upsert", conversation: result.data.conversation });
    onOpen(id);
  };

  const room = preview?.room;
  return (
    <div className="flex flex-col gap-3">
      <button ref={back} type="button" onClick={onBack} className="self-start rounded-md px-1 text-sm text-link hover:underline">
        ← All rooms
      </button>
      {error ? <p role="alert" className="text-sm text-danger">{error}</p> : null}
      {room ? (
        <>
          <div className="flex items-start gap-3">
            <GroupAvatar id={room.id} name={room.name} size="lg" />
            <div className="min-w-0 flex-1">
              <h3 className="truncate text-lg font-semibold" dir="auto">{room.name}</h3>
              <p className="text-sm text-muted" dir="auto">{room.topic || "No topic"}</p>
              <p className="text-xs text-muted" data-testid="preview-count">{memberCount(room.memberCount)}</p>
            </div>
          </div>
          <div className="flex gap-2">
            {joined ? (
              <button type="button" className={primaryButton} onClick={() => onOpen(room.id)}>
                Open room
              </button>
            ) : (
              <button type="button" className={primaryButton} disabled={busy} onClick={() => void join()}>
                {busy ? "Joining…" : "Join room"}
              </button>
            )}
          </div>
          <section aria-label="Recent messages" className="flex flex-col gap-2 rounded-xl bg-sunken p-3">
            <p className="text-xs font-medium text-muted">Recent messages · read-only until you join</p>
            {preview.messages.length === 0 ? <p className="text-sm text-muted">Nothing has been said here yet.</p> : null}
            <ol className="flex flex-col gap-2">
              {preview.messages.map((message) => (
                <PreviewMessage key={message.id} message={message} />
              ))}
            </ol>
          </section>
        </>
      ) : !error ? (
        <p className="py-6 text-center text-sm text-muted">Loading the room…</p>
      ) : null}
    </div>
  );
}

/** One message as text: the preview shows what was said, never anything to act on. */
function PreviewMessage({ message }: { message: MessageDto }) {
  if (message.kind === "system") {
    return <li className="text-center text-xs text-muted" dir="auto">{message.text}</li>;
  }
  const text = message.deletedAt ? "This message was deleted" : message.text || (message.attachments?.length ? "📎 Attachment" : "");
  return (
    <li className="rounded-lg bg-surface px-3 py-2 text-sm shadow-sm">
      <span className="flex items-baseline justify-between gap-2">
        <span className="truncate font-medium" dir="auto">{message.senderName}</span>
        <time className="shrink-0 text-xs text-muted" dateTime={message.createdAt}>{shortTime(message.createdAt)}</time>
      </span>
      <span className={`block whitespace-pre-wrap break-words ${message.deletedAt ? "italic text-muted" : ""}`} dir="auto">{text}</span>
    </li>
  );
}
