"use client";

import { Suspense, useRef, useState } from "react";
import type { MessageRequest } from "@/lib/client/api";
import type { MessageDto } from "@/lib/schemas/dto";
import { DeleteChoice, Menu, MenuItem, ReactionPicker } from "./lazy-parts";
import type { ChangeMessage, MenuAt } from "./message-menus";

export type { ChangeMessage, MenuAt };

/** Whether one's own message is still within the window for editing and deleting for everyone. */
export function withinWindow(message: MessageDto, editWindowMs: number): boolean {
  return Date.now() - new Date(message.createdAt).getTime() <= editWindowMs;
}

const iconButton = "inline-flex h-8 w-8 items-center justify-center rounded-md text-muted hover:bg-hover hover:text-fg";

/**
 * What one can do to a stored message, in a toolbar that shows on hover, on focus and after a
 * long press: react, reply, and a menu (also the message's context menu) to edit (own, within the
 * window), pin or unpin, copy, and delete. A refusal shows beside the message; focus goes back to
 * where the action started.
 */
export function MessageTools({
  message,
  mine,
  editable,
  onChange,
  onEdit,
  onReply,
  menuAt,
  onMenu,
  onError,
  jumpedTo = false,
}: {
  message: MessageDto;
  mine: boolean;
  editable: boolean;
  onChange: ChangeMessage;
  onEdit: () => void;
  onReply?: () => void;
  /** The menu is open (the toolbar's, or a context menu at a point), or closed. */
  menuAt: MenuAt | null;
  onMenu: (at: MenuAt | null) => void;
  onError: (error: string | null) => void;
  /**
   * The message a search result or a quote opened the conversation at: it has the focus, but the
   * bar shows only on hover, a press or focus inside it, or it would cover the message's first line.
   */
  jumpedTo?: boolean;
}) {
  const [picking, setPicking] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const moreButton = useRef<HTMLButtonElement>(null);
  // Popovers open upwards from a message in the lower half of the screen: downwards they would be
  // cut off by the thread's edge.
  const [above, setAbove] = useState(false);
  const place = () => setAbove((moreButton.current?.getBoundingClientRect().top ?? 0) > window.innerHeight / 2);
  const run = async (request: MessageRequest, returnTo: HTMLElement | null) => {
    setPicking(false);
    setConfirmDelete(false);
    onMenu(null);
    returnTo?.focus();
    const result = await onChange(request);
    onError(result.ok ? null : result.error.message);
  };
  const closeMenu = (focus: boolean) => {
    onMenu(null);
    if (focus) moreButton.current?.focus();
  };

  const focusShows = jumpedTo
    ? "group-has-[:focus]/message:pointer-events-auto group-has-[:focus]/message:opacity-100"
    : "group-focus-within/message:pointer-events-auto group-focus-within/message:opacity-100";
  return (
    <Suspense fallback={null}>
      <div
        role="group"
        aria-label="Message actions"
        className={`absolute -top-4 z-10 flex items-center gap-0.5 rounded-lg border border-line bg-surface p-0.5 shadow-md transition-opacity ${
          mine ? "right-2" : "left-2"
        } ${picking || menuAt || confirmDelete ? "opacity-100" : `pointer-events-none opacity-0 group-hover/message:pointer-events-auto group-hover/message:opacity-100 group-data-[pressed=true]/message:pointer-events-auto group-data-[pressed=true]/message:opacity-100 ${focusShows}`}`}
      >
        <button
          ref={reactButton}
          type="button"
          className={iconButton}
          aria-label="React"
          title="React"
          aria-expanded={picking}
          onClick={() => {
            place();
            setPicking(!picking);
          }}
        >
          <SmileIcon />
        </button>
        {onReply ? (
          <button type="button" className={iconButton} aria-label="Reply" title="Reply" onClick={onReply}>
            <ReplyIcon />
          </button>
        ) : null}
        <button
          ref={moreButton}
          type="button"
          className={iconButton}
          aria-label="More actions"
          title="More actions"
          aria-haspopup="menu"
          aria-expanded={menuAt !== null}
          onClick={() => {
            place();
            onMenu(menuAt ? null : "toolbar");
          }}
        >
          <DotsIcon />
        </button>
      </div>
      {picking ? (
        <div className={`absolute z-30 ${above ? "bottom-full mb-5" : "top-5"} ${mine ? "right-2" : "left-2"}`}>
          <ReactionPicker
            onPick={(emoji) => void run({ action: "react", messageId: message.id, emoji, add: true }, reactButton.current)}
            onClose={() => {
              setPicking(false);
              reactButton.current?.focus();
            }}
          />
        </div>
      ) : null}
      {menuAt ? (
        <Menu at={menuAt} mine={mine} above={above} onClose={closeMenu} label="Message actions menu">
          {mine && editable ? (
            <MenuItem
              onSelect={() => {
                onMenu(null);
                onEdit();
              }}
            >
              Edit
            </MenuItem>
          ) : null}
          <MenuItem onSelect={() => void run({ action: "pin", messageId: message.id, pinned: message.pinnedAt === null }, moreButton.current)}>
            {message.pinnedAt === null ? "Pin" : "Unpin"}
          </MenuItem>
          <MenuItem
            onSelect={() => {
              void navigator.clipboard?.writeText(message.text).catch(() => undefined);
              closeMenu(true);
            }}
          >
            Copy text
          </MenuItem>
          <MenuItem
            danger
            onSelect={() => {
              onMenu(null);
              setConfirmDelete(true);
            }}
          >
            Delete
          </MenuItem>
        </Menu>
      ) : null}
      {confirmDelete ? (
        <DeleteChoice
          mine={mine}
          above={above}
          canDeleteForEveryone={mine && editable}
          onDelete={(scope) => void run({ action: "delete", messageId: message.id, for: scope }, moreButton.current)}
          onCancel={() => {
            setConfirmDelete(false);
            moreButton.current?.focus();
          }}
        />
      ) : null}
    </Suspense>
  );
}

const svg = { width: 18, height: 18, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round", strokeLinejoin: "round", "aria-hidden": true } as const;

export function SmileIcon() {
  return (
    <svg {...svg}>
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 14a4 4 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
    </svg>
  );
}

export function ReplyIcon() {
  return (
    <svg {...svg}>
      <path d="M9 14 4 9l5-5" />
      <path d="M4 9h10a6 6 0 0 1 6 6v3" />
    </svg>
  );
}

export function DotsIcon() {
  return (
    <svg {...svg}>
      <path d="M5 12h.01M12 12h.01M19 12h.01" strokeWidth={3} />
    </svg>
  );
}
