"use client";

import { useRef, useState } from "react";
import type { MessageRequest } from "@/lib/client/api";
import type { Ack } from "@/lib/realtime/events";
import type { MessageDto } from "@/lib/schemas/dto";
import { MESSAGE_MAX } from "@/lib/schemas/limits";
import { ReactionPicker } from "./reactions";

export type ChangeMessage = (request: MessageRequest) => Promise<Ack<unknown>>;

/** Whether one's own message is still within the window for editing and deleting for everyone. */
export function withinWindow(message: MessageDto, editWindowMs: number): boolean {
  return Date.now() - new Date(message.createdAt).getTime() <= editWindowMs;
}

const toolClass = "rounded px-1.5 py-0.5 text-xs underline-offset-2 hover:underline focus:outline-none focus:ring-2 focus:ring-indigo-300";

/**
 * What one can do to a stored message: react, edit (own, in the window), pin or unpin, delete for
 * me or (own, in the window) for everyone. Refusals show in the bubble.
 */
export function MessageTools({
  message,
  mine,
  editable,
  onChange,
  onEdit,
}: {
  message: MessageDto;
  mine: boolean;
  editable: boolean;
  onChange: ChangeMessage;
  onEdit: () => void;
}) {
  const [open, setOpen] = useState<"react" | "delete" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reactButton = useRef<HTMLButtonElement>(null);
  const run = async (request: MessageRequest) => {
    setOpen(null);
    const result = await onChange(request);
    setError(result.ok ? null : result.error.message);
  };
  const deleted = message.deletedAt !== null;

  return (
    <div className="mt-1 text-xs">
      <div className="flex flex-wrap gap-1 opacity-80" role="group" aria-label="Message actions">
        {deleted ? null : (
          <button ref={reactButton} type="button" className={toolClass} aria-expanded={open === "react"} onClick={() => setOpen(open === "react" ? null : "react")}>
            React
          </button>
        )}
        {mine && editable && !deleted ? (
          <button type="button" className={toolClass} onClick={onEdit}>
            Edit
          </button>
        ) : null}
        {deleted ? null : (
          <button type="button" className={toolClass} onClick={() => void run({ action: "pin", messageId: message.id, pinned: message.pinnedAt === null })}>
            {message.pinnedAt === null ? "Pin" : "Unpin"}
          </button>
        )}
        <button type="button" className={toolClass} aria-expanded={open === "delete"} onClick={() => setOpen(open === "delete" ? null : "delete")}>
          Delete
        </button>
      </div>
      {open === "react" ? (
        <ReactionPicker
          onPick={(emoji) => void run({ action: "react", messageId: message.id, emoji, add: true })}
          onClose={() => {
            setOpen(null);
            reactButton.current?.focus();
          }}
        />
      ) : null}
      {open === "delete" ? (
        <div className="mt-1 flex gap-2 rounded bg-white p-2 text-slate-900 shadow ring-1 ring-slate-200">
          <button type="button" className="rounded border border-slate-300 px-2 py-0.5" onClick={() => void run({ action: "delete", messageId: message.id, for: "me" })}>
            Delete for me
          </button>
          {mine && editable && !deleted ? (
            <button type="button" className="rounded bg-red-600 px-2 py-0.5 text-white" onClick={() => void run({ action: "delete", messageId: message.id, for: "everyone" })}>
              Delete for everyone
            </button>
          ) : null}
          <button type="button" className="px-2 py-0.5 underline" onClick={() => setOpen(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Editing in place: Enter saves, Shift+Enter starts a new line, Escape cancels. */
export function EditForm({ message, onChange, onDone }: { message: MessageDto; onChange: ChangeMessage; onDone: () => void }) {
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const trimmed = text.trim();
    if (trimmed.length === 0) return setError("Message cannot be empty");
    if (trimmed.length > MESSAGE_MAX) return setError(`Message is too long (at most ${MESSAGE_MAX} characters)`);
    const result = await onChange({ action: "edit", messageId: message.id, text: trimmed });
    if (result.ok) onDone();
    else setError(result.error.message);
  };
  return (
    <form
      className="mt-1 flex flex-col gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        aria-label="Edit message"
        // The field opens because the person asked to edit: focus belongs there.
        autoFocus
        rows={2}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onDone();
          if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
          }
        }}
        className="resize-none rounded border border-slate-300 px-2 py-1 text-slate-900"
      />
      <div className="flex gap-2 text-xs">
        <button type="submit" className="rounded bg-white px-2 py-0.5 font-semibold text-indigo-700">
          Save
        </button>
        <button type="button" className="underline" onClick={onDone}>
          Cancel
        </button>
      </div>
      {error ? <p role="alert" className="text-xs">{error}</p> : null}
    </form>
  );
}
