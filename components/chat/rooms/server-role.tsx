"use client";

// The settings' "Server role" section: what the person is, and for server admins, who the admins
// are, with granting and taking back the role (never from the last admin: the server refuses).
import { useEffect, useState } from "react";
import { roomsApi } from "@/lib/client/rooms-api";
import type { UserDto } from "@/lib/schemas/dto";
import { input, usePeopleSearch } from "../people-panel";

const small = "rounded-md border border-line px-2 py-0.5 text-xs hover:bg-hover disabled:opacity-50";

export function ServerRole({ me }: { me: string }) {
  const [view, setView] = useState<{ role: "admin" | null; admins: UserDto[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const found = usePeopleSearch(query).filter((user) => !view?.admins.some((a) => a.id === user.id));

  useEffect(() => {
    void roomsApi.role().then((result) => (result.ok ? setView(result.data) : setError(result.error.message)));
  }, []);

  const set = async (userId: string, admin: boolean) => {
    setError(null);
    const result = await roomsApi.setAdmin(userId, admin);
    if (result.ok) {
      setView(result.data);
      setQuery("");
    } else setError(result.error.message);
  };

  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="mb-2 text-sm font-semibold">Server role</legend>
      {error ? <p role="alert" className="text-danger">{error}</p> : null}
      <p data-testid="server-role">{view === null ? "…" : view.role === "admin" ? "Server admin: you manage rooms and who else is an admin." : "Member"}</p>
      {view?.role === "admin" ? (
        <>
          <ul aria-label="Server admins" className="flex flex-col gap-1">
            {view.admins.map((admin) => (
              <li key={admin.id} className="flex items-center justify-between gap-2">
                <span className="truncate" dir="auto">
                  {admin.name}
                  {admin.id === me ? <span className="text-muted"> (you)</span> : null}
                </span>
                {/* The last admin keeps the role (the server refuses): no button that can only fail. */}
                {view.admins.length > 1 ? (
                  <button type="button" className={small} onClick={() => void set(admin.id, false)} aria-label={`Remove admin: ${admin.name}`}>
                    Remove admin
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <label className="text-xs font-medium text-muted">
            Make someone an admin
            <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name or email" className={input} />
          </label>
          {found.length > 0 ? (
            <ul aria-label="People to make admin" className="flex flex-col gap-1">
              {found.slice(0, 5).map((user) => (
                <li key={user.id} className="flex items-center justify-between gap-2">
                  <span className="truncate" dir="auto">{user.name}</span>
                  <button type="button" className={small} onClick={() => void set(user.id, true)} aria-label={`Make admin: ${user.name}`}>
                    Make admin
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}
