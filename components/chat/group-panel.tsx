"use client";

import { useRef, useState, type ReactNode } from "react";
import type { GroupRequest } from "@/lib/client/api";
import type { Ack } from "@/lib/realtime/events";
import type { ConversationDto, MemberDto } from "@/lib/schemas/dto";
import { Avatar } from "./avatar";
import { useFocusTrap } from "./modal";
import { input, usePeopleSearch } from "./people-panel";

type Change = (request: GroupRequest) => Promise<Ack<unknown>>;

const button = "rounded-md border border-line px-2 py-0.5 text-xs hover:bg-hover disabled:opacity-50";

/** A group's name and members: any member renames and adds people, the owner removes them, anyone leaves. */
export function GroupPanel({ conversation, me, onChange }: { conversation: ConversationDto; me: string; onChange: Change }) {
  const [name, setName] = useState(conversation.name ?? "");
  const [query, setQuery] = useState("");
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const found = usePeopleSearch(query).filter((user) => !conversation.members.some((m) => m.id === user.id));
  const myRole = conversation.members.find((m) => m.id === me)?.role ?? "member";
  // The owner removes anyone; an admin removes plain members.
  const mayRemove = (role: MemberDto["role"]) => myRole === "owner" || (myRole === "admin" && role === "member");
  const base = { conversationId: conversation.id };

  const run = async (request: GroupRequest) => {
    setBusy(true);
    setError(null);
    const result = await onChange(request);
    setBusy(false);
    if (!result.ok) setError(result.error.message);
    return result.ok;
  };

  return (
    <section aria-label="Group details" className="flex flex-col gap-4 px-4 py-4 text-sm">
      {error ? <p role="alert" className="text-danger">{error}</p> : null}
      <form
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void run({ action: "rename", ...base, name });
        }}
      >
        <label className="flex-1 text-xs font-medium text-muted">
          Group name
          <input value={name} onChange={(e) => setName(e.target.value)} className={input} required maxLength={100} />
        </label>
        <button type="submit" className={button} disabled={busy || name.trim() === "" || name.trim() === conversation.name}>
          Rename
        </button>
      </form>
      <ul aria-label="Members" className="flex flex-col gap-1">
        {conversation.members.map((member) => (
          <li key={member.id} className="flex items-center justify-between gap-2">
            <span className="flex min-w-0 items-center gap-2">
              <Avatar id={member.id} name={member.name} size="sm" />
              <span className="truncate" dir="auto">{member.name}</span>
              {member.id === me ? <span className="text-muted"> (you)</span> : null}
              {member.role !== "member" ? (
                <span className="ml-1 rounded bg-selected px-1 text-xs text-fg">{member.role === "owner" ? "Owner" : "Admin"}</span>
              ) : null}
            </span>
            <span className="flex gap-1">
              {myRole === "owner" && member.id !== me ? (
                <button
                  type="button"
                  className={button}
                  disabled={busy}
                  onClick={() => void run({ action: "role", ...base, userId: member.id, role: member.role === "admin" ? "member" : "admin" })}
                  // The visible words start the name (WCAG 2.5.3), the person follows.
                  aria-label={member.role === "admin" ? `Remove admin: ${member.name}` : `Make admin: ${member.name}`}
                >
                  {member.role === "admin" ? "Remove admin" : "Make admin"}
                </button>
              ) : null}
              {member.id !== me && mayRemove(member.role) && confirmRemove !== member.id ? (
                <button type="button" className={button} disabled={busy} onClick={() => setConfirmRemove(member.id)} aria-label={`Remove ${member.name} from the group`}>
                  Remove
                </button>
              ) : null}
              {confirmRemove === member.id ? (
                <>
                  <button
                    type="button"
                    // The choice was just offered: focus goes to it.
                    autoFocus
                    className="rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white"
                    disabled={busy}
                    onClick={async () => {
                      if (await run({ action: "remove", ...base, userId: member.id })) setConfirmRemove(null);
                    }}
                    aria-label={`Yes, remove ${member.name}`}
                  >
                    Remove
                  </button>
                  <button type="button" className={button} onClick={() => setConfirmRemove(null)} aria-label={`Keep ${member.name}`}>
                    Keep
                  </button>
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <label className="text-xs font-medium text-muted">
        Add people
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" className={input} />
      </label>
      {found.length > 0 ? (
        <ul aria-label="People to add" className="flex flex-col gap-1">
          {found.map((user) => (
            <li key={user.id} className="flex items-center justify-between gap-2">
              <span className="truncate">{user.name}</span>
              <button
                type="button"
                className={button}
                disabled={busy}
                aria-label={`Add ${user.name} to the group`}
                onClick={async () => {
                  if (await run({ action: "add", ...base, userId: user.id })) setQuery("");
                }}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex gap-2">
        {confirmLeave ? (
          <>
            <button type="button" autoFocus className="rounded-md bg-red-700 px-2 py-0.5 text-xs font-semibold text-white" disabled={busy} onClick={() => void run({ action: "remove", ...base, userId: me })}>
              Leave for good
            </button>
            <button type="button" className={button} onClick={() => setConfirmLeave(false)}>
              Stay
            </button>
          </>
        ) : (
          <button type="button" className={button} onClick={() => setConfirmLeave(true)}>
            Leave group
          </button>
        )}
      </div>
    </section>
  );
}

/** The group's details as the chat shows them: the panel, in its side panel or sheet. */
export function GroupDetails({ conversation, me, onChange, onClose }: { conversation: ConversationDto; me: string; onChange: Change; onClose: () => void }) {
  return (
    <DetailsPanel onClose={onClose}>
      <GroupPanel conversation={conversation} me={me} onChange={onChange} />
    </DetailsPanel>
  );
}

/**
 * Group (or room) details beside the thread from `lg` up; on smaller screens a sheet over it, modal, with
 * focus kept inside until it closes.
 */
export function DetailsPanel({ onClose, children, title = "Group details" }: { onClose: () => void; children: ReactNode; title?: string }) {
  const panel = useRef<HTMLDivElement>(null);
  const [modal] = useState(() => typeof window !== "undefined" && window.matchMedia("(max-width: 1023px)").matches);
  useFocusTrap(panel, modal);
  return (
    <div
      ref={panel}
      role={modal ? "dialog" : undefined}
      aria-modal={modal ? true : undefined}
      aria-label={modal ? title : undefined}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        }
      }}
      className="fixed inset-0 z-40 flex flex-col overflow-y-auto bg-surface lg:static lg:z-auto lg:w-80 lg:shrink-0 lg:border-l lg:border-line"
    >
      <div className="flex h-16 shrink-0 items-center justify-between border-b border-line px-4">
        <h2 className="font-semibold">{title}</h2>
        <button type="button" className="inline-flex h-9 w-9 items-center justify-center rounded-lg text-muted hover:bg-hover hover:text-fg" aria-label={`Close ${title.toLowerCase()}`} onClick={onClose}>
          <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </div>
      {children}
    </div>
  );
}

