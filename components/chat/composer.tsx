"use client";

import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { retrying } from "@/lib/client/chunks";
import { MESSAGE_MAX } from "@/lib/schemas/limits";
import { isBlankText } from "@/lib/schemas/text";
import type { OutboxFile } from "@/lib/client/outbox-files";
import type { Draft } from "./files/drafts";
import { MENTION_LIST_ID, mentionOptionId, mentionQuery, MentionSuggestions, mentionsIn, type Mentionable } from "./mentions";

// Fetched the first time the emoji button is pressed.
const EmojiPicker = lazy(() => retrying(() => import("./emoji-picker"))().then((m) => ({ default: m.EmojiPicker })));
// Files: the paperclip, paste and drop come as the composer shows; the tray when a file is first attached.
const AttachButton = lazy(() => retrying(() => import("./files/attach-button"))().then((m) => ({ default: m.AttachButton })));
const AttachmentTray = lazy(() => retrying(() => import("./files/tray"))().then((m) => ({ default: m.AttachmentTray })));

/** What the composer is replying to, shown above the text until sent or cancelled. */
export type ReplyTarget = { id: string; senderName: string; excerpt: string };

/** The counter shows from here on, so the limit is never a surprise. */
const COUNTER_FROM = MESSAGE_MAX - 500;
/** The box grows with its text up to this height, then scrolls. */
const MAX_HEIGHT_PX = 200;

export function Composer({
  onSend,
  onTyping,
  onStopTyping,
  disabled = false,
  replyTo = null,
  onCancelReply,
  members = [],
  textareaRef,
  draftKey,
  onEditLast,
  fileMaxBytes,
  dropZone,
}: {
  /** With files, `text` is their caption and may be "". */
  onSend: (text: string, mentions: string[], files: OutboxFile[]) => void;
  /** Every change, with what the composer now holds: others see "typing…". */
  onTyping?: (text: string) => void;
  /** Focus left the composer (or the window): the "typing…" others see ends now. */
  onStopTyping?: () => void;
  disabled?: boolean;
  replyTo?: ReplyTarget | null;
  onCancelReply?: () => void;
  /** Who can be @mentioned: the other members. */
  members?: Mentionable[];
  textareaRef?: RefObject<HTMLTextAreaElement | null>;
  /** Where this conversation's unsent text is kept (localStorage), across switching and reloads. */
  draftKey?: string;
  /** ↑ in an empty box: edit my last message. Says whether there was one to edit. */
  onEditLast?: () => boolean;
  /** The server's limit for one file: bigger ones are refused here, before any upload. */
  fileMaxBytes: number;
  /** Where files can be dropped to join the message (the conversation pane). */
  dropZone?: RefObject<HTMLElement | null>;
}) {
  const [text, setText] = useState("");
  const [selected, setSelected] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [emojiOpen, setEmojiOpen] = useState(false);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const ownRef = useRef<HTMLTextAreaElement>(null);
  const box = textareaRef ?? ownRef;
  const query = mentionQuery(text);
  const suggestions = query === null || query === dismissed ? [] : members.filter((m) => m.name.toLowerCase().includes(query.toLowerCase())).slice(0, 5);
  const highlighted = suggestions[Math.min(selected, suggestions.length - 1)];

  // The draft comes back when the conversation does (read after the first paint: the server
  // cannot know it), and is kept as it changes.
  useEffect(() => {
    if (!draftKey) return;
    const saved = window.localStorage.getItem(draftKey);
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (saved) setText(saved);
  }, [draftKey]);
  const keep = (next: string) => {
    if (!draftKey) return;
    try {
      if (next.trim()) window.localStorage.setItem(draftKey, next);
      else window.localStorage.removeItem(draftKey);
    } catch {
      // Storage full or refused: the draft lives only in the box.
    }
  };
  const length = text.trim().length;
  const over = length > MESSAGE_MAX;
  // Spaces, line breaks, zero-width and direction marks alone are no message (the server agrees).
  const blank = isBlankText(text);

  // Grows with its text, one line at a time, up to MAX_HEIGHT_PX.
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text, box]);

  const pick = (member: Mentionable) => {
    const next = text.replace(/@[^@\s]*$/, `@${member.name} `);
    setText(next);
    keep(next);
    setSelected(0);
  };

  /** Puts the emoji where the cursor was, and the cursor after it. */
  const insert = (emoji: string) => {
    const element = box.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + emoji + text.slice(end);
    setText(next);
    keep(next);
    setEmojiOpen(false);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + emoji.length, start + emoji.length);
    });
  };

  const submit = () => {
    const trimmed = text.trim();
    const caption = isBlankText(trimmed) ? "" : trimmed;
    if ((!caption && drafts.length === 0) || disabled) return;
    if (trimmed.length > MESSAGE_MAX) {
      setError(`Message is too long (${trimmed.length} of at most ${MESSAGE_MAX} characters)`);
      return;
    }
    setError(null);
    onSend(caption, mentionsIn(caption, members), drafts.map((draft) => draft.file));
    setText("");
    keep("");
    setDrafts([]);
    setNotice(null);
  };

  return (
    <form
      className="relative shrink-0 border-t border-line bg-surface px-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] pt-2 sm:px-6"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="mx-auto max-w-3xl">
        {replyTo ? (
          <div className="mb-2 flex items-center gap-2 rounded-lg border-l-4 border-accent bg-sunken px-3 py-1.5 text-xs" data-testid="composer-reply">
            <span className="min-w-0 flex-1 truncate">
              Replying to <span className="font-semibold">{replyTo.senderName}</span>: {replyTo.excerpt}
            </span>
            <button type="button" className="rounded-md px-1.5 py-0.5 text-muted underline hover:text-fg" onClick={onCancelReply}>
              Cancel reply
            </button>
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="mb-2 text-sm text-danger">
            {error}
          </p>
        ) : null}
        {drafts.length > 0 || notice ? (
          <Suspense fallback={null}>
            <AttachmentTray
              drafts={drafts}
              notice={notice}
              onRemove={(key) => {
                setDrafts((held) => held.filter((draft) => draft.key !== key));
                box.current?.focus();
              }}
              onDismissNotice={() => setNotice(null)}
            />
          </Suspense>
        ) : null}
        <MentionSuggestions suggestions={suggestions} selected={Math.min(selected, suggestions.length - 1)} onPick={pick} />
        {emojiOpen ? (
          <div className="absolute bottom-full left-3 z-30 mb-1 sm:left-6">
            <Suspense fallback={<p className="rounded-xl bg-surface p-3 text-sm text-muted shadow-xl ring-1 ring-line">Loading emoji…</p>}>
              <EmojiPicker
                label="Choose an emoji"
                onPick={insert}
                onClose={() => {
                  setEmojiOpen(false);
                  emojiButton.current?.focus();
                }}
              />
            </Suspense>
          </div>
        ) : null}
        <div className="flex items-end gap-1 sm:gap-2">
          <button
            ref={emojiButton}
            type="button"
            aria-label="Emoji"
            title="Emoji"
            aria-expanded={emojiOpen}
            onClick={() => setEmojiOpen((open) => !open)}
            className="inline-flex h-11 w-9 shrink-0 items-center justify-center rounded-full text-muted hover:bg-hover hover:text-fg aria-expanded:bg-hover sm:w-11"
          >
            <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
              <circle cx="12" cy="12" r="9" />
              <path d="M8.5 14a4 4 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
            </svg>
          </button>
          <Suspense fallback={<span className="w-9 shrink-0 sm:w-11" />}>
            <AttachButton
              box={box}
              dropZone={dropZone}
              held={drafts.length}
              maxBytes={fileMaxBytes}
              onAttach={(added, refused) => {
                setDrafts((held) => [...held, ...added]);
                setNotice(refused);
              }}
            />
          </Suspense>
          <label htmlFor="composer" className="sr-only">
            Message
          </label>
          <textarea
            id="composer"
            ref={box}
            name="message"
            rows={1}
            value={text}
            dir="auto"
            placeholder="Write a message"
            aria-describedby={length >= COUNTER_FROM ? "composer-count" : undefined}
            aria-controls={suggestions.length > 0 ? MENTION_LIST_ID : undefined}
            aria-activedescendant={highlighted ? mentionOptionId(highlighted.id) : undefined}
            aria-autocomplete="list"
            aria-invalid={over || undefined}
            onChange={(event) => {
              setText(event.target.value);
              keep(event.target.value);
              setSelected(0);
              if (error && event.target.value.trim().length <= MESSAGE_MAX) setError(null);
              onTyping?.(event.target.value);
            }}
            onBlur={() => onStopTyping?.()}
            onKeyDown={(event) => {
              // With suggestions open, ↑/↓ move, Tab or Enter picks, Escape closes them; otherwise
              // Enter sends, Shift+Enter starts a new line, and ↑ in an empty box edits my last message.
              if (highlighted && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
                event.preventDefault();
                const step = event.key === "ArrowDown" ? 1 : -1;
                setSelected((index) => (Math.min(index, suggestions.length - 1) + step + suggestions.length) % suggestions.length);
              } else if (highlighted && event.key === "Escape") {
                event.preventDefault();
                setDismissed(query);
              } else if ((event.key === "Enter" || event.key === "Tab") && highlighted && !event.shiftKey) {
                event.preventDefault();
                pick(highlighted);
              } else if (event.key === "ArrowUp" && text === "" && onEditLast?.()) {
                event.preventDefault();
              } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                submit();
              } else if (event.key === "Escape" && replyTo) {
                event.preventDefault();
                onCancelReply?.();
              }
            }}
            className="max-h-[200px] min-h-11 flex-1 resize-none rounded-2xl border border-line bg-sunken px-4 py-2.5 text-base leading-6 text-fg placeholder:text-muted focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/30 aria-invalid:border-danger"
          />
          <button
            type="submit"
            disabled={disabled || (blank && drafts.length === 0) || over}
            aria-label="Send"
            className="inline-flex h-11 w-11 shrink-0 items-center justify-center rounded-full bg-accent text-accent-fg shadow-sm hover:brightness-110 disabled:opacity-40"
          >
            <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
              <path d="M5 12h13M13 6l6 6-6 6" />
            </svg>
          </button>
        </div>
        {length >= COUNTER_FROM ? (
          <p id="composer-count" className={`mt-1 text-right text-xs ${over ? "font-semibold text-danger" : "text-muted"}`} data-testid="composer-count">
            {over ? `${length - MESSAGE_MAX} characters over the limit of ${MESSAGE_MAX}` : `${MESSAGE_MAX - length} characters left`}
          </p>
        ) : null}
      </div>
    </form>
  );
}
