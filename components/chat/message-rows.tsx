"use client";

// The rows of the thread (components/chat/message-list.tsx lays them out and scrolls them): a
// message with its bubble, quote, reactions and tools; one on its way; the separators and notes.
import { Suspense, useCallback, useRef, useState } from "react";
import type { Pending } from "@/lib/client/chat-state";
import type { Delivery } from "@/lib/client/views";
import type { ConversationDto, MessageDto, ReplyPreview } from "@/lib/schemas/dto";
import { Avatar } from "./avatar";
import { clockTime, fullDate } from "./format";
import { AttachmentsPlaceholder } from "./files/layout";
import { EditForm, PendingAttachments, StoredAttachments } from "./lazy-parts";
import { MessageText } from "./markdown/message-text";
import { ClockIcon, DeliveryTicks, Quote } from "./message-parts";
import { MessageTools, type ChangeMessage, type MenuAt } from "./message-tools";
import { Reactions } from "./reactions";

const LONG_PRESS_MS = 450;

export function DaySeparator({ label }: { label: string }) {
  return (
    <div role="separator" aria-label={label} data-testid="day-separator" className="my-3 flex justify-center">
      <span className="rounded-full bg-surface px-3 py-0.5 text-xs font-medium text-muted shadow-sm ring-1 ring-line">{label}</span>
    </div>
  );
}

export function UnreadDivider() {
  return (
    <div role="separator" aria-label="New messages" data-unread-divider data-testid="unread-divider" className="my-3 flex items-center gap-3 text-xs font-semibold text-danger">
      <span className="h-px flex-1 bg-current opacity-40" />
      New messages
      <span className="h-px flex-1 bg-current opacity-40" />
    </div>
  );
}

/** A change to the group (renamed, someone added, removed or left): a centred note, not a bubble. */
export function SystemMessage({ message }: { message: MessageDto }) {
  return (
    <p className="my-2 self-center rounded-full bg-sunken px-3 py-1 text-center text-xs text-muted ring-1 ring-line" data-testid="system-message" data-seq={message.seq}>
      {message.text} · <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
    </p>
  );
}

export function IntroCard({ conversation, peerName, peerId }: { conversation: ConversationDto; peerName?: string; peerId?: string }) {
  return (
    <div className="mx-auto my-8 flex max-w-sm flex-col items-center gap-2 rounded-2xl bg-surface px-6 py-6 text-center shadow-sm ring-1 ring-line" data-testid="intro-card">
      {peerId && peerName ? <Avatar id={peerId} name={peerName} size="lg" /> : null}
      <p className="font-semibold">{peerName ?? conversation.name}</p>
      <p className="text-sm text-muted">
        {peerName ? `This is the start of your conversation with ${peerName}.` : `This is the start of the ${conversation.kind === "room" ? "room" : "group"}.`} Messages arrive in the order they were sent, and
        you will see when they are delivered and read.
      </p>
    </div>
  );
}

export function StoredMessage({
  rowKey,
  message,
  first,
  last,
  delivery,
  group,
  me,
  names,
  editable,
  onChange,
  highlighted,
  mentionsMe,
  onReply,
  onJump,
  pressed,
  onPress,
  editing,
  onEditing,
  onOpenImage,
}: {
  rowKey: string;
  message: MessageDto;
  first: boolean;
  last: boolean;
  delivery: Delivery | null;
  group: boolean;
  me: string;
  names: Map<string, string>;
  editable: boolean;
  onChange: ChangeMessage;
  highlighted: boolean;
  mentionsMe: boolean;
  onReply?: (message: MessageDto) => void;
  onJump?: (preview: ReplyPreview) => void;
  pressed: boolean;
  onPress: (key: string | null) => void;
  editing: boolean;
  onEditing: (on: boolean) => void;
  /** One of its pictures was clicked: open the viewer on it. */
  onOpenImage?: (attachmentId: string) => void;
}) {
  const mine = message.senderId === me;
  const setEditing = onEditing;
  const [menuAt, setMenuAt] = useState<MenuAt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const article = useRef<HTMLElement>(null);
  const pressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const deleted = message.deletedAt !== null;
  const showName = group && !mine && first;
  const showAvatar = group && !mine;
  const closeMenu = useCallback((restore: boolean) => {
    setMenuAt(null);
    if (restore) article.current?.querySelector<HTMLElement>("[aria-label='More actions']")?.focus();
  }, []);

  return (
    <article
      ref={article}
      id={`message-${message.id}`}
      tabIndex={-1}
      data-row-key={rowKey}
      data-state={delivery?.state ?? "received"}
      data-stored="true"
      data-seq={message.seq}
      data-message-id={message.id}
      data-highlighted={highlighted ? "true" : undefined}
      data-mentions-me={mentionsMe ? "true" : undefined}
      data-pressed={pressed ? "true" : undefined}
      aria-label={`${mine ? "You" : message.senderName}, ${fullDate(message.createdAt)}`}
      onContextMenu={(event) => {
        if (deleted || editing) return;
        event.preventDefault();
        setMenuAt({ x: event.clientX, y: event.clientY });
      }}
      onPointerDown={(event) => {
        if (event.pointerType !== "touch" || deleted) return;
        pressTimer.current = setTimeout(() => onPress(rowKey), LONG_PRESS_MS);
      }}
      onPointerUp={() => pressTimer.current && clearTimeout(pressTimer.current)}
      onPointerCancel={() => pressTimer.current && clearTimeout(pressTimer.current)}
      className={`group/message relative flex gap-2 rounded-lg px-1 outline-none focus-visible:ring-2 focus-visible:ring-accent ${first ? "mt-2" : "mt-0.5"} ${mine ? "flex-row-reverse" : ""} ${highlighted ? "flash" : ""}`}
    >
      {showAvatar ? <div className="w-8 shrink-0 pt-0.5">{first ? <Avatar id={message.senderId} name={message.senderName} /> : null}</div> : null}
      <div className={`flex min-w-0 max-w-[85%] flex-col sm:max-w-[70%] ${mine ? "items-end" : "items-start"}`}>
        {showName ? (
          <span className="mb-0.5 px-1 text-xs font-semibold text-muted" data-testid="sender">
            {message.senderName}
          </span>
        ) : null}
        <div
          className={`relative min-w-0 max-w-full rounded-2xl px-3 py-1.5 shadow-sm ${
            mine ? "bg-mine text-mine-fg" : mentionsMe ? "bg-mention text-fg ring-1 ring-amber-400" : "bg-raised text-fg ring-1 ring-line"
          } ${mine ? (last ? "rounded-br-md" : "") : last ? "rounded-bl-md" : ""}`}
        >
          {message.replyPreview ? <Quote preview={message.replyPreview} mine={mine} onJump={onJump} /> : null}
          {message.attachments?.length && !deleted ? (
            <Suspense fallback={<AttachmentsPlaceholder files={message.attachments} />}>
              <StoredAttachments attachments={message.attachments} mine={mine} onOpen={onOpenImage} />
            </Suspense>
          ) : null}
          {editing ? (
            <Suspense fallback={<MessageText text={message.text} />}>
              <EditForm
                message={message}
                onChange={onChange}
                onDone={() => {
                  setEditing(false);
                  article.current?.focus();
                }}
              />
            </Suspense>
          ) : deleted ? (
            <p className="italic opacity-80" data-testid="message-deleted" data-seq={message.seq}>
              This message was deleted
            </p>
          ) : message.text || !message.attachments?.length ? (
            <MessageText text={message.text} seq={message.seq} className={mine ? "[&_a]:text-white" : "[&_a]:text-link"} />
          ) : null}
          <span className={`float-right ml-3 mt-1 flex translate-y-0.5 items-center gap-1 text-[11px] leading-none ${mine ? "text-mine-muted" : "text-muted"}`}>
            {message.pinnedAt ? (
              <span data-testid="pinned" title="Pinned">
                <svg width="11" height="11" viewBox="0 0 24 24" fill="currentColor" aria-hidden>
                  <path d="M16 3l5 5-3 1-4 4 1 5-2 2-4-4-5 5-1-1 5-5-4-4 2-2 5 1 4-4z" />
                </svg>
                <span className="sr-only">pinned</span>
              </span>
            ) : null}
            {message.editedAt && !deleted ? <span data-testid="edited">edited</span> : null}
            <time dateTime={message.createdAt} title={fullDate(message.createdAt)} className="group/time relative">
              {clockTime(message.createdAt)}
            </time>
            {delivery ? <DeliveryTicks delivery={delivery} group={group} /> : null}
          </span>
        </div>
        <span
          aria-hidden
          className="pointer-events-none hidden px-1 pt-0.5 text-[11px] text-muted group-focus-visible/message:block"
          data-testid="full-date"
        >
          {fullDate(message.createdAt)}
        </span>
        {deleted ? null : (
          <Reactions reactions={message.reactions} names={names} me={me} onToggle={(emoji, add) => void onChange({ action: "react", messageId: message.id, emoji, add })} />
        )}
        {error ? (
          <p role="alert" className="px-1 text-xs text-danger">
            {error}
          </p>
        ) : null}
      </div>
      {editing || deleted ? null : (
        <MessageTools
          message={message}
          mine={mine}
          editable={editable}
          onChange={onChange}
          onEdit={() => setEditing(true)}
          onReply={onReply ? () => onReply(message) : undefined}
          menuAt={menuAt}
          onMenu={(at) => (at === null ? closeMenu(false) : setMenuAt(at))}
          onError={setError}
          jumpedTo={highlighted}
        />
      )}
    </article>
  );
}

export function PendingMessage({
  rowKey,
  pending,
  first,
  last,
  onRetry,
  onDiscard,
  onCancel,
}: {
  rowKey: string;
  pending: Pending;
  first: boolean;
  last: boolean;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
  /** Takes back a message with files while it uploads or waits. */
  onCancel?: (clientMsgId: string) => void;
}) {
  const failed = pending.status === "failed";
  const files = pending.files ?? [];
  return (
    <article
      data-row-key={rowKey}
      data-state={pending.status}
      tabIndex={-1}
      aria-label={failed ? "You, not sent" : "You, sending"}
      className={`group/message relative flex flex-row-reverse gap-2 rounded-lg px-1 outline-none focus-visible:ring-2 focus-visible:ring-accent ${first ? "mt-2" : "mt-0.5"}`}
    >
      <div className="flex min-w-0 max-w-[85%] flex-col items-end sm:max-w-[70%]">
        <div className={`relative min-w-0 max-w-full rounded-2xl bg-mine px-3 py-1.5 text-mine-fg shadow-sm ${last ? "rounded-br-md" : ""} ${failed ? "ring-2 ring-danger" : "opacity-90"}`}>
          {files.length > 0 ? (
            <Suspense fallback={<AttachmentsPlaceholder files={files} />}>
              <PendingAttachments files={files} progress={pending.progress} failed={failed} onCancel={onCancel ? () => onCancel(pending.clientMsgId) : undefined} />
            </Suspense>
          ) : null}
          {pending.text || files.length === 0 ? <MessageText text={pending.text} /> : null}
          <span className="float-right ml-3 mt-1 flex translate-y-0.5 items-center gap-1 text-[11px] leading-none text-mine-muted">
            <span data-testid="delivery" data-delivery={pending.status} className="inline-flex items-center gap-1">
              {failed ? "Not sent" : <><ClockIcon /><span className="sr-only">Sending…</span></>}
            </span>
          </span>
        </div>
        {failed ? (
          <p className="mt-1 flex items-center gap-2 text-xs text-danger">
            <span role="alert">{pending.error ?? "Not sent"}</span>
            <button type="button" className="rounded-md bg-accent px-2 py-0.5 font-semibold text-accent-fg" onClick={() => onRetry(pending.clientMsgId)}>
              Retry
            </button>
            {pending.retryable && files.length === 0 ? null : (
              <button type="button" className="rounded-md px-2 py-0.5 underline" onClick={() => onDiscard(pending.clientMsgId)}>
                Discard
              </button>
            )}
          </p>
        ) : null}
      </div>
    </article>
  );
}
