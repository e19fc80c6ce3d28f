"use client";

// A room's details beside its thread (loaded on first open: lazy-parts.ts): topic and count for
// everyone, Leave; name, topic, visibility and archiving for its owner and admins.
import { useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import { roomsApi, type RoomChange } from "@/lib/client/rooms-api";
import type { ConversationDto } from "@/lib/schemas/dto";
import { ROOM_NAME_MAX, ROOM_TOPIC_MAX } from "@/lib/schemas/limits";
import { Avatar } from "../avatar";
import { DetailsPanel } from "../group-panel";
import { input, usePeopleSearch } from "../people-panel";
import { memberCount, secondaryButton } from "./room-style";

const small = "rounded-md border border-line px-2 py-0.5 text-xs hover:bg-hover disabled:opacity-50";

export function RoomDetails({ conversation, me, engine, onClose }: { conversation: ConversationDto; me: string; engine: ChatEngine; onClose: () => void }) {
  const room = conversation.room;
  const role = conversation.members.find((m) => m.id === me)?.role ?? "member";
  const manager = role === "owner" || role === "admin";
  const [name, setName] = useState(conversation.name ?? "");
  const [topic, setTopic] = useState(room?.topic ?? "");
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (request: RoomChange) => {
    setBusy(true);
    setError(null);
    const result = await roomsApi.update(conversation.id, request);
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  };
  const leave = async () => {
    setBusy(true);
    const result = await roomsApi.leave(engine.client, conversation.id);
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    engine.dispatch({ type: "conversation/removed", conversationId: conversation.id });
    onClose();
  };

  return (
    <DetailsPanel title="Room details" onClose={onClose}>
      <section aria-label="Room details" className="flex flex-col gap-4 px-4 py-4 text-sm">
        {error ? <p role="alert" className="text-danger">{error}</p> : null}
        <div>
          <p className="text-muted" dir="auto">{room?.topic || "No topic"}</p>
          <p className="text-xs text-muted">
            {memberCount(room?.memberCount ?? conversation.members.length)} · {room?.public ? "Public" : "Private"}
            {room?.archived ? " · Archived" : ""}
          </p>
        </div>
        {manager ? (
          <>
            <form
              className="flex flex-col gap-2"
              onSubmit={(event) => {
                event.preventDefault();
                void change({ name, topic });
              }}
            >
              <label className="text-xs font-medium text-muted">
                Room name
                <input value={name} onChange={(e) => setName(e.target.value)} className={input} required maxLength={ROOM_NAME_MAX} />
              </label>
              <label className="text-xs font-medium text-muted">
                Topic
                <textarea value={topic} onChange={(e) => setTopic(e.target.value)} className={`${input} min-h-16 resize-y`} maxLength={ROOM_TOPIC_MAX} />
              </label>
              <button type="submit" className={`${small} self-start`} disabled={busy || name.trim() === "" || (name.trim() === conversation.name && topic.trim() === (room?.topic ?? ""))}>
                Save
              </button>
            </form>
            <div className="flex flex-wrap gap-2">
              <button type="button" className={small} disabled={busy} onClick={() => void change({ public: !room?.public })}>
                {room?.public ? "Make private" : "Make public"}
              </button>
              <button type="button" className={small} disabled={busy} onClick={() => void change({ archived: !room?.archived })}>
                {room?.archived ? "Restore room" : "Archive room"}
              </button>
            </div>
          </>
        ) : null}
        <RoomMembers conversation={conversation} me={me} />
        {manager && !room?.public ? <AddPeople conversation={conversation} engine={engine} onError={setError} /> : null}
        <div className="flex gap-2">
          {confirmLeave ? (
            <>
              <button type="button" autoFocus className="rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white" disabled={busy} onClick={() => void leave()}>
                Leave for good
              </button>
              <button type="button" className={small} onClick={() => setConfirmLeave(false)}>
                Stay
              </button>
            </>
          ) : (
            <button type="button" className={secondaryButton} onClick={() => setConfirmLeave(true)}>
              Leave room
            </button>
          )}
        </div>
      </section>
    </DetailsPanel>
  );
}

/** Members shown by name in the details: a busy room's first few, owners and admins first, then a count of the rest. */
const MEMBERS_SHOWN = 50;

function RoomMembers({ conversation, me }: { conversation: ConversationDto; me: string }) {
  const rank = { owner: 0, admin: 1, member: 2 } as const;
  const members = [...conversation.members].sort((a, b) => rank[a.role] - rank[b.role] || a.name.localeCompare(b.name));
  const more = (conversation.room?.memberCount ?? members.length) - Math.min(members.length, MEMBERS_SHOWN);
  return (
    <div className="flex flex-col gap-1">
      <ul aria-label="Members" className="flex flex-col gap-1">
        {members.slice(0, MEMBERS_SHOWN).map((member) => (
          <li key={member.id} className="flex min-w-0 items-center gap-2">
            <Avatar id={member.id} name={member.name} size="sm" />
            <span className="truncate" dir="auto">{member.name}</span>
            {member.id === me ? <span className="text-muted"> (you)</span> : null}
            {member.role !== "member" ? <span className="ml-1 rounded bg-selected px-1 text-xs text-fg">{member.role === "owner" ? "Owner" : "Admin"}</span> : null}
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="text-xs text-muted">and {more} more</p> : null}
    </div>
  );
}

/** A private room is for the people its owner and admins add: the same request as adding to a group. */
function AddPeople({ conversation, engine, onError }: { conversation: ConversationDto; engine: ChatEngine; onError: (message: string | null) => void }) {
  const [query, setQuery] = useState("");
  const found = usePeopleSearch(query).filter((user) => !conversation.members.some((m) => m.id === user.id));
  return (
    <div className="flex flex-col gap-1">
      <label className="text-xs font-medium text-muted">
        Add people
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" className={input} />
      </label>
      {found.length > 0 ? (
        <ul aria-label="People to add" className="flex flex-col gap-1">
          {found.slice(0, 5).map((user) => (
            <li key={user.id} className="flex items-center justify-between gap-2">
              <span className="truncate" dir="auto">{user.name}</span>
              <button
                type="button"
                className={small}
                aria-label={`Add ${user.name} to the room`}
                onClick={async () => {
                  onError(null);
                  const result = await engine.changeGroup({ action: "add", conversationId: conversation.id, userId: user.id });
                  if (result.ok) setQuery("");
                  else onError(result.error.message);
                }}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
