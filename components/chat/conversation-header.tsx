"use client";

// The open conversation's header: back (on a phone), who or what it is (presence, members, a
// room's count and topic), search in it, calls, mute and "Mark as unread" (in a menu on narrow
// screens), and the group or room details.
import { Suspense, useRef, useState, type RefObject } from "react";
import type { ConversationDto } from "@/lib/schemas/dto";
import type { PresenceState } from "@/lib/client/presence-store";
import { Avatar, GroupAvatar } from "./avatar";
import { CallButtons, Menu, MenuItem } from "./lazy-parts";
import { directPeer, PresenceStatus } from "./presence";
import { SearchInButton } from "./sidebar-search";

export const headerButton = "inline-flex h-9 items-center gap-1.5 rounded-lg px-2.5 text-sm text-muted hover:bg-hover hover:text-fg aria-expanded:bg-hover aria-expanded:text-fg aria-pressed:text-fg";

export type HeaderAction = { key: string; label: string; pressed?: boolean; run: () => void };

export function ConversationHeader({
  conversation,
  me,
  title,
  presence,
  headingRef,
  detailsButton,
  detailsOpen,
  onToggleDetails,
  searching,
  onSearchIn,
  onCall,
  actions,
  onBack,
}: {
  conversation: ConversationDto;
  me: string;
  title: string;
  presence: PresenceState;
  /** The title, which takes the focus when the conversation opens on a phone. */
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** The details button, where the focus returns when the details close. */
  detailsButton: RefObject<HTMLButtonElement | null>;
  detailsOpen: boolean;
  onToggleDetails: () => void;
  /** A search inside this conversation is under way. */
  searching: boolean;
  onSearchIn: () => void;
  onCall: (media: "audio" | "video") => void;
  actions: HeaderAction[];
  onBack: () => void;
}) {
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const peer = directPeer(conversation, me);
  const onlineCount = conversation.members.filter((m) => m.id !== me && presence.users[m.id]?.online).length;
  return (
    <header className="flex h-16 shrink-0 items-center justify-between gap-2 border-b border-line bg-surface px-2 sm:px-4">
      <div className="flex min-w-0 items-center gap-2">
        <button type="button" className={`${headerButton} md:hidden`} aria-label="Back to conversations" onClick={onBack}>
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
            <path d="M15 18l-6-6 6-6" />
          </svg>
        </button>
        {peer ? <Avatar id={peer} name={title} size="md" online={presence.users[peer]?.online} /> : <GroupAvatar id={conversation.id} name={title} size="md" />}
        <div className="min-w-0">
          <h1 ref={headingRef} tabIndex={-1} className="truncate font-semibold leading-tight outline-none" dir="auto">
            {title}
          </h1>
          {conversation.room ? (
            <p className="truncate text-xs text-muted" dir="auto">
              <span data-testid="room-count">{conversation.room.memberCount} {conversation.room.memberCount === 1 ? "member" : "members"}</span>
              {conversation.room.archived ? " · Archived" : ""}
              {conversation.room.topic ? ` · ${conversation.room.topic}` : ""}
            </p>
          ) : null}
          {conversation.kind === "group" ? (
            <p className="truncate text-xs text-muted">
              {conversation.members.length} members
              {onlineCount > 0 ? <span data-testid="online-count"> · {onlineCount} online</span> : null}
            </p>
          ) : null}
          {peer ? <PresenceStatus presence={presence.users[peer]} /> : null}
        </div>
      </div>
      <div className="relative flex shrink-0 items-center gap-1">
        <SearchInButton className={headerButton} title={title} pressed={searching} onClick={onSearchIn} />
        {peer ? (
          // Two 36 px buttons: the space is kept while their chunk loads, so the header does not shift.
          <Suspense fallback={<span className="w-[76px]" />}>
            <CallButtons className={headerButton} onCall={onCall} />
          </Suspense>
        ) : null}
        <div className="hidden items-center gap-1 lg:flex">
          {actions.map((action) => (
            <button key={action.key} type="button" className={headerButton} aria-pressed={action.pressed} onClick={action.run}>
              {action.label}
            </button>
          ))}
        </div>
        {conversation.kind !== "direct" ? (
          <button ref={detailsButton} type="button" className={headerButton} aria-expanded={detailsOpen} aria-label={conversation.kind === "room" ? "Room details" : "Group details"} title={conversation.kind === "room" ? "Room details" : "Group details"} onClick={onToggleDetails}>
            <InfoIcon />
          </button>
        ) : null}
        <button ref={menuButton} type="button" className={`${headerButton} lg:hidden`} aria-label="Conversation menu" aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((open) => !open)}>
          <svg width="18" height="18" viewBox="0 0 24 24" fill="currentColor" aria-hidden>
            <circle cx="12" cy="5" r="1.8" />
            <circle cx="12" cy="12" r="1.8" />
            <circle cx="12" cy="19" r="1.8" />
          </svg>
        </button>
        {menuOpen ? (
          <Suspense fallback={null}>
            <div className="absolute right-0 top-8">
              <Menu at="toolbar" mine onClose={(restore) => {
                  setMenuOpen(false);
                  if (restore) menuButton.current?.focus();
                }} label="Conversation menu">
                {actions.map((action) => (
                  <MenuItem
                    key={action.key}
                    onSelect={() => {
                      setMenuOpen(false);
                      menuButton.current?.focus();
                      action.run();
                    }}
                  >
                    {action.label}
                  </MenuItem>
                ))}
              </Menu>
            </div>
          </Suspense>
        ) : null}
      </div>
    </header>
  );
}

function InfoIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5M12 8h.01" />
    </svg>
  );
}
