"use client";

import { useState } from "react";
import { roomsApi } from "@/lib/client/rooms-api";
import type { ConversationDto } from "@/lib/schemas/dto";
import { ROOM_NAME_MAX, ROOM_TOPIC_MAX } from "@/lib/schemas/limits";
import { input } from "../people-panel";
import { primaryButton, secondaryButton } from "./room-style";

/** A new room: its name, a topic, and whether anyone may find it in the directory. */
export function CreateRoomForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (conversation: ConversationDto) => void }) {
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [isPublic, setPublic] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        const result = await roomsApi.create({ name, topic, public: isPublic });
        setBusy(false);
        if (result.ok) onCreated(result.data.conversation);
        else setError(result.error.message);
      }}
    >
      {error ? <p role="alert" className="text-sm text-danger">{error}</p> : null}
      <label className="text-xs font-medium text-muted">
        Room name
        <input value={name} onChange={(e) => setName(e.target.value)} className={input} required maxLength={ROOM_NAME_MAX} placeholder="e.g. Study hall" />
      </label>
      <label className="text-xs font-medium text-muted">
        Topic <span className="font-normal">(optional)</span>
        <textarea value={topic} onChange={(e) => setTopic(e.target.value)} className={`${input} min-h-20 resize-y`} maxLength={ROOM_TOPIC_MAX} placeholder="What the room is about" />
      </label>
      <label className="flex items-start gap-3 text-sm">
        <input type="checkbox" className="mt-0.5 h-4 w-4 accent-indigo-600" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} aria-describedby="room-public-help" />
        <span>
          Public
          <span id="room-public-help" className="block text-xs text-muted">
            Anyone signed in can find it in the directory, read it and join. A private room is for the people its owner adds.
          </span>
        </span>
      </label>
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={busy || name.trim() === ""}>
          {busy ? "Creating…" : "Create room"}
        </button>
        <button type="button" className={secondaryButton} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
