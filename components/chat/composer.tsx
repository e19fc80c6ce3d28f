"use client";

import { useState } from "react";
import { MESSAGE_MAX } from "@/lib/schemas/limits";
import { mentionQuery, MentionSuggestions, mentionsIn, type Mentionable } from "./mentions";

/** What the composer is replying to, shown above the text until sent or cancelled. */
export type ReplyTarget = { id: string; senderName: string; excerpt: string };

export function Composer({
  onSend,
  onTyping,
  onStopTyping,
  disabled = false,
  replyTo = null,
  onCancelReply,
  members = [],
}: {
  onSend: (text: string, mentions: string[]) => void;
  /** Every change, with what the composer now holds: others see "typing…". */
  onTyping?: (text: string) => void;
  /** Focus left the composer (or the window): the "typing…" others see ends now. */
  onStopTyping?: () => void;
  disabled?: boolean;
  replyTo?: ReplyTarget | null;
  onCancelReply?: () => void;
  /** Who can be @mentioned: the other members. */
  members?: Mentionable[];
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const query = mentionQuery(text);
  const suggestions = query === null ? [] : members.filter((m) => m.name.toLowerCase().includes(query.toLowerCase())).slice(0, 5);

  const pick = (member: Mentionable) => {
    setText((current) => current.replace(/@[^@\s]*$/, `@${member.name} `));
  };

  const submit = () => {
    const trimmed = text.trim();
    if (trimmed.length === 0 || disabled) return;
    if (trimmed.length > MESSAGE_MAX) {
      setError(`Message is too long (${trimmed.length} of at most ${MESSAGE_MAX} characters)`);
      return;
    }
    setError(null);
    onSend(trimmed, mentionsIn(trimmed, members));
    setText("");
  };

  return (
    <form
      className="relative border-t border-slate-200 bg-white p-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {replyTo ? (
        <div className="mb-2 flex items-center gap-2 border-l-4 border-indigo-400 bg-slate-50 px-2 py-1 text-xs" data-testid="composer-reply">
          <span className="min-w-0 flex-1 truncate">
            Replying to <span className="font-semibold">{replyTo.senderName}</span>: {replyTo.excerpt}
          </span>
          <button type="button" className="underline" onClick={onCancelReply}>
            Cancel reply
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <MentionSuggestions suggestions={suggestions} onPick={pick} />
      <div className="flex items-end gap-2">
        <label className="flex flex-1 flex-col text-xs font-medium text-slate-600">
          Message
          <textarea
            name="message"
            rows={2}
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              onTyping?.(event.target.value);
            }}
            onBlur={() => onStopTyping?.()}
            onKeyDown={(event) => {
              // With suggestions open, Tab or Enter picks the first; otherwise Enter sends, Shift+Enter starts a new line.
              if ((event.key === "Enter" || event.key === "Tab") && suggestions[0] && !event.shiftKey) {
                event.preventDefault();
                pick(suggestions[0]);
              } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                submit();
              }
            }}
            className="mt-1 resize-none rounded-md border border-slate-300 px-3 py-2 text-base text-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
          />
        </label>
        <button type="submit" disabled={disabled} className="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-700 disabled:opacity-50">
          Send
        </button>
      </div>
    </form>
  );
}
