"use client";

import type { ConnectionState } from "@/lib/client/realtime-client";
import { Avatar } from "./avatar";
import { ConnectionStatus } from "./connection-status";
import { headerButton } from "./conversation-header";

/** The top of the sidebar: who is signed in, the connection, and the rooms directory and settings. */
export function SidebarHeader({
  me,
  connection,
  onRooms,
  onSettings,
}: {
  me: { id: string; name: string };
  connection: ConnectionState;
  onRooms: () => void;
  onSettings: () => void;
}) {
  return (
    <header className="flex items-center justify-between gap-2 px-4 pb-2 pt-3">
      <div className="flex min-w-0 items-center gap-2.5">
        <Avatar id={me.id} name={me.name} size="md" />
        <div className="min-w-0">
          <p className="truncate font-semibold leading-tight" dir="auto">
            {me.name}
          </p>
          <ConnectionStatus state={connection} />
        </div>
      </div>
      <div className="flex shrink-0 items-center">
        <button type="button" className={headerButton} aria-label="Browse rooms" title="Browse rooms" onClick={onRooms}>
          <HashIcon />
        </button>
        <button type="button" className={headerButton} aria-label="Settings" title="Settings" onClick={onSettings}>
          <GearIcon />
        </button>
      </div>
    </header>
  );
}

function GearIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
    </svg>
  );
}

function HashIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
      <path d="M5 9h14M5 15h14M10 4 8 20M16 4l-2 16" />
    </svg>
  );
}
