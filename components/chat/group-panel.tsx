"use client";

import { useState } from "react";
import type { GroupRequest } from "@/lib/client/api";
import type { Ack } from "@/lib/realtime/events";
import type { ConversationDto, MemberDto } from "@/lib/schemas/dto";
import { input, usePeopleSearch } from "./people-panel";

type Change = (request: GroupRequest) => Promise<Ack<unknown>>;

const button = "rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 disabled:opacity-50";

/** A group's name and members: any member renames and adds people, the owner removes them, anyone leaves. */
export function GroupPanel({ conversation, me, onChange }: { conversation: ConversationDto; me: string; onChange: Change }) {
  const [name, setName] = useState(conversation.name ?? "");
  const [query, setQuery] = useState("");
  const [confirmLeave, setConfirmLeave] = useState(false);
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
    <section aria-label="Group details" className="flex flex-col gap-3 border-b border-slate-200 bg-slate-50 px-4 py-3 text-sm">
      {error ? <p role="alert" className="text-red-700">{error}</p> : null}
      <form
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void run({ action: "rename", ...base, name });
        }}
      >
        <label className="flex-1 text-xs font-medium text-slate-600">
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
            <span>
              {member.name}
              {member.id === me ? <span className="text-slate-500"> (you)</span> : null}
              {member.role !== "member" ? (
                <span className="ml-1 rounded bg-indigo-100 px-1 text-xs text-indigo-800">{member.role === "owner" ? "Owner" : "Admin"}</span>
              ) : null}
            </span>
            <span className="flex gap-1">
              {myRole === "owner" && member.id !== me ? (
                <button
                  type="button"
                  className={button}
                  disabled={busy}
                  onClick={() => void run({ action: "role", ...base, userId: member.id, role: member.role === "admin" ? "member" : "admin" })}
                  aria-label={member.role === "admin" ? `Make ${member.name} a member again` : `Make ${member.name} an admin`}
                >
                  {member.role === "admin" ? "Remove admin" : "Make admin"}
                </button>
              ) : null}
              {member.id !== me && mayRemove(member.role) ? (
                <button type="button" className={button} disabled={busy} onClick={() => void run({ action: "remove", ...base, userId: member.id })} aria-label={`Remove ${member.name} from the group`}>
                  Remove
                </button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <label className="text-xs font-medium text-slate-600">
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
            <button type="button" className="rounded-md bg-red-600 px-2 py-0.5 text-xs font-semibold text-white" disabled={busy} onClick={() => void run({ action: "remove", ...base, userId: me })}>
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
