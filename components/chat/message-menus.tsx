"use client";

import { useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import type { MessageRequest } from "@/lib/client/api";
import type { Ack } from "@/lib/realtime/events";
import type { MessageDto } from "@/lib/schemas/dto";
import { MESSAGE_MAX } from "@/lib/schemas/limits";
import { isBlankText } from "@/lib/schemas/text";

export type ChangeMessage = (request: MessageRequest) => Promise<Ack<unknown>>;

/** Where the action menu opens: under the toolbar's "More" button, or where the pointer asked for it. */
export type MenuAt = { x: number; y: number } | "toolbar";

// What opens from a message or the header: its menu, the delete choice, the edit form. Loaded
// once the page has shown (see lazy-parts.ts), not with it.

/** "Delete for me" / "Delete for everyone" / Cancel, with focus inside until one is chosen. */
export function DeleteChoice({
  mine,
  canDeleteForEveryone,
  onDelete,
  onCancel,
  above = false,
}: {
  mine: boolean;
  canDeleteForEveryone: boolean;
  onDelete: (scope: "me" | "everyone") => void;
  onCancel: () => void;
  /** Opens upwards (the message is low on the screen), so it is never cut off by the thread's edge. */
  above?: boolean;
}) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      role="group"
      aria-label="Delete this message?"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onCancel();
        }
      }}
      className={`absolute z-30 flex flex-col gap-1 rounded-xl bg-surface p-2 text-sm text-fg shadow-xl ring-1 ring-line ${above ? "bottom-full mb-5" : "top-5"} ${mine ? "right-2" : "left-2"}`}
    >
      <p className="px-1 pb-1 text-xs text-muted">Delete this message?</p>
      <button ref={first} type="button" className="rounded-md border border-line px-3 py-1 text-left hover:bg-hover" onClick={() => onDelete("me")}>
        Delete for me
      </button>
      {canDeleteForEveryone ? (
        <button type="button" className="rounded-md bg-red-700 px-3 py-1 text-left font-medium text-white hover:bg-red-800" onClick={() => onDelete("everyone")}>
          Delete for everyone
        </button>
      ) : null}
      <button type="button" className="rounded-md px-3 py-1 text-left hover:bg-hover" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/**
 * A menu of actions: focus starts on the first item, ↑/↓ (and Home/End) move, Enter picks, Escape
 * or a click elsewhere closes it. Opened by the toolbar it hangs under it; as a context menu it
 * opens where the pointer was, kept inside the window.
 */
export function Menu({
  at,
  mine,
  onClose,
  label,
  children,
  above = false,
}: {
  at: MenuAt;
  mine: boolean;
  onClose: (restoreFocus: boolean) => void;
  label: string;
  children: React.ReactNode;
  /** Under a toolbar low on the screen it opens upwards. */
  above?: boolean;
}) {
  const menu = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null);
  useEffect(() => {
    const element = menu.current;
    if (!element) return;
    element.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    if (at !== "toolbar") {
      const { width, height } = element.getBoundingClientRect();
      // Measured once it exists, then placed where it fits.
      setPosition({ left: Math.min(at.x, window.innerWidth - width - 8), top: Math.min(at.y, window.innerHeight - height - 8) });
    }
    const away = (event: PointerEvent) => {
      if (!element.contains(event.target as Node)) onClose(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [at, onClose]);

  const move = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 }[event.key];
    if (event.key === "Escape" || event.key === "Tab") {
      event.preventDefault();
      event.stopPropagation();
      return onClose(true);
    }
    if (next === undefined) return;
    event.preventDefault();
    items[(next + items.length) % items.length]?.focus();
  };

  return (
    <div
      ref={menu}
      role="menu"
      aria-label={label}
      onKeyDown={move}
      style={at === "toolbar" ? undefined : { position: "fixed", left: position?.left ?? at.x, top: position?.top ?? at.y }}
      className={`z-40 flex min-w-44 flex-col rounded-xl bg-surface p-1 text-sm text-fg shadow-xl ring-1 ring-line ${at === "toolbar" ? `absolute ${above ? "bottom-full mb-5" : "top-5"} ${mine ? "right-2" : "left-2"}` : ""}`}
    >
      {children}
    </div>
  );
}

export function MenuItem({ onSelect, danger = false, children }: { onSelect: () => void; danger?: boolean; children: React.ReactNode }) {
  return (
    <button type="button" role="menuitem" tabIndex={-1} onClick={onSelect} className={`rounded-lg px-3 py-1.5 text-left hover:bg-hover focus:bg-hover focus:outline-none ${danger ? "text-danger" : ""}`}>
      {children}
    </button>
  );
}

/** Editing in place: Enter saves, Shift+Enter starts a new line, Escape cancels. */
export function EditForm({ message, onChange, onDone }: { message: MessageDto; onChange: ChangeMessage; onDone: () => void }) {
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const trimmed = text.trim();
    if (isBlankText(trimmed)) return setError("Message cannot be empty");
    if (trimmed.length > MESSAGE_MAX) return setError(`Message is too long (at most ${MESSAGE_MAX} characters)`);
    if (trimmed === message.text) return onDone();
    const result = await onChange({ action: "edit", messageId: message.id, text: trimmed });
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form
      className="flex min-w-64 flex-col gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        aria-label="Edit message"
        // The field opens because the person asked to edit: focus belongs there.
        autoFocus
        rows={Math.min(8, Math.max(2, text.split("\n").length))}
        value={text}
        dir="auto"
        onFocus={(event) => event.currentTarget.setSelectionRange(event.currentTarget.value.length, event.currentTarget.value.length)}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.stopPropagation();
            onDone();
          }
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
          }
        }}
        className="resize-none rounded-md border border-line bg-surface px-2 py-1 text-fg"
      />
      <div className="flex items-center gap-2 text-xs">
        <button type="submit" className="rounded-md bg-surface px-2 py-0.5 font-semibold text-link ring-1 ring-line">
          Save
        </button>
        <button type="button" className="underline" onClick={onDone}>
          Cancel
        </button>
        <span className="opacity-80">Enter to save · Esc to cancel</span>
      </div>
      {error ? (
        <p role="alert" className="text-xs">
          {error}
        </p>
      ) : null}
    </form>
  );
}

