"use client";

import { useLayoutEffect, useRef, useState } from "react";
import type { Pending } from "@/lib/client/chat-state";
import { deliveryOf, type Delivery } from "@/lib/client/views";
import type { ConversationDto, MessageDto, ReplyPreview } from "@/lib/schemas/dto";
import { clockTime } from "./format";
import { DeliveryTicks, Quote } from "./message-parts";
import { EditForm, MessageTools, withinWindow, type ChangeMessage } from "./message-tools";
import { Reactions } from "./reactions";

type Row =
  | { kind: "stored"; key: string; message: MessageDto }
  | { kind: "pending"; key: string; pending: Pending };

export function MessageList({
  conversation,
  messages,
  pending,
  hasMore,
  me,
  onLoadOlder,
  onRetry,
  onDiscard,
  onChangeMessage,
  editWindowMs,
  onAtBottom,
  hideRead = false,
  onReply,
  onJump,
  highlightId = null,
  mentionOf,
}: {
  conversation: ConversationDto;
  messages: MessageDto[];
  pending: Pending[];
  hasMore: boolean;
  me: string;
  onLoadOlder: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
  onChangeMessage: ChangeMessage;
  editWindowMs: number;
  /** Told whenever the view reaches or leaves its newest message. */
  onAtBottom?: (atBottom: boolean) => void;
  /** My read receipts are off: no one's read state is shown. */
  hideRead?: boolean;
  onReply?: (message: MessageDto) => void;
  /** A quote was clicked: show its original. */
  onJump?: (preview: ReplyPreview) => void;
  /** The message just jumped to, shown highlighted. */
  highlightId?: string | null;
  /** Messages mentioning this user are highlighted. */
  mentionOf?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const firstSeq = useRef<number | undefined>(undefined);
  const heightBeforeOlder = useRef<number | null>(null);

  const names = new Map(conversation.members.map((m) => [m.id, m.name]));
  const rows: Row[] = [
    // Deleted for me: gone from this person's view on every device.
    ...messages.filter((message) => !message.hidden).map((message) => ({ kind: "stored" as const, key: message.id, message })),
    ...pending.map((p) => ({ kind: "pending" as const, key: p.clientMsgId, pending: p })),
  ];

  // New messages keep the view pinned to the bottom if it was there; older pages keep the reader's place.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const oldest = messages[0]?.seq;
    if (heightBeforeOlder.current !== null && oldest !== firstSeq.current) {
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
    firstSeq.current = oldest;
  }, [messages, pending]);

  // A jump to a quoted message: after the effect above, so the pin to the bottom does not undo it.
  useLayoutEffect(() => {
    const target = highlightId ? scroller.current?.querySelector(`[data-message-id="${highlightId}"]`) : null;
    if (!target) return;
    stickToBottom.current = false;
    target.scrollIntoView({ block: "center" });
  }, [highlightId]);

  return (
    <div
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget;
        const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
        if (atBottom !== stickToBottom.current) onAtBottom?.(atBottom);
        stickToBottom.current = atBottom;
      }}
      className="min-h-0 flex-1 overflow-y-auto px-4 py-3"
    >
      {hasMore ? (
        <div className="mb-3 flex justify-center">
          <button
            type="button"
            className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm hover:bg-slate-100"
            onClick={() => {
              heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
              void onLoadOlder();
            }}
          >
            Load older
          </button>
        </div>
      ) : null}
      <div role="log" aria-label="Messages" aria-live="polite" className="flex flex-col gap-2">
        {rows.map((row) =>
          row.kind === "stored" && row.message.kind === "system" ? (
            <SystemMessage key={row.key} message={row.message} />
          ) : row.kind === "stored" ? (
            <StoredMessage
              key={row.key}
              message={row.message}
              delivery={row.message.senderId === me ? deliveryOf(conversation, row.message, { hideRead }) : null}
              group={conversation.kind === "group"}
              me={me}
              names={names}
              editable={withinWindow(row.message, editWindowMs)}
              onChange={onChangeMessage}
              highlighted={row.message.id === highlightId}
              mentionsMe={mentionOf !== undefined && row.message.mentions.includes(mentionOf)}
              onReply={onReply}
              onJump={onJump}
            />
          ) : (
            <PendingMessage key={row.key} pending={row.pending} onRetry={onRetry} onDiscard={onDiscard} />
          ),
        )}
      </div>
    </div>
  );
}

function Bubble({
  mine,
  children,
  state,
  stored,
  id,
  highlighted = false,
  mentionsMe = false,
}: {
  mentionsMe?: boolean;
  mine: boolean;
  children: React.ReactNode;
  state: string;
  stored: boolean;
  id?: string;
  highlighted?: boolean;
}) {
  return (
    <article
      id={id ? `message-${id}` : undefined}
      tabIndex={id ? -1 : undefined}
      data-state={state}
      data-stored={stored ? "true" : undefined}
      data-message-id={id}
      data-highlighted={highlighted ? "true" : undefined}
      data-mentions-me={mentionsMe ? "true" : undefined}
      className={`max-w-[80%] rounded-lg px-3 py-2 shadow-sm focus:outline-none focus:ring-4 focus:ring-amber-300 ${mine ? "self-end bg-indigo-600 text-white" : mentionsMe ? "self-start bg-amber-50 ring-2 ring-amber-300" : "self-start bg-white ring-1 ring-slate-200"} ${highlighted ? "ring-4 ring-amber-400" : ""}`}
    >
      {children}
    </article>
  );
}

/** A change to the group (renamed, someone added, removed or left): a centred note, not a bubble. */
function SystemMessage({ message }: { message: MessageDto }) {
  return (
    <p className="self-center rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-600" data-testid="system-message" data-seq={message.seq}>
      {message.text} · <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
    </p>
  );
}

function StoredMessage({
  message,
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
}: {
  message: MessageDto;
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
}) {
  const mine = delivery !== null;
  const [editing, setEditing] = useState(false);
  const deleted = message.deletedAt !== null;
  return (
    <Bubble mine={mine} state={delivery?.state ?? "received"} stored id={message.id} highlighted={highlighted} mentionsMe={mentionsMe}>
      <header className={`flex items-baseline gap-2 text-xs ${mine ? "text-indigo-100" : "text-slate-500"}`}>
        <span className="font-semibold" data-testid="sender">{message.senderName}</span>
        <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
        {message.editedAt && !deleted ? <span data-testid="edited">edited</span> : null}
        {message.pinnedAt ? <span data-testid="pinned"><span aria-hidden>📌 </span>pinned</span> : null}
        {onReply && !deleted ? (
          <button type="button" className="ml-auto underline" aria-label={`Reply to ${message.senderName}`} onClick={() => onReply(message)}>
            Reply
          </button>
        ) : null}
      </header>
      {message.replyPreview ? <Quote preview={message.replyPreview} mine={mine} onJump={onJump} /> : null}
      {editing ? (
        <EditForm message={message} onChange={onChange} onDone={() => setEditing(false)} />
      ) : deleted ? (
        <p className="italic opacity-80" data-testid="message-deleted" data-seq={message.seq}>
          This message was deleted
        </p>
      ) : (
        // Text is rendered as a text node: never parsed as HTML.
        <p className="whitespace-pre-wrap break-words" data-testid="message-text" data-seq={message.seq}>
          {message.text}
        </p>
      )}
      <Reactions reactions={message.reactions} names={names} me={me} onToggle={(emoji, add) => void onChange({ action: "react", messageId: message.id, emoji, add })} />
      {editing ? null : <MessageTools message={message} mine={mine} editable={editable} onChange={onChange} onEdit={() => setEditing(true)} />}
      {delivery ? <DeliveryTicks delivery={delivery} group={group} /> : null}
    </Bubble>
  );
}

function PendingMessage({
  pending,
  onRetry,
  onDiscard,
}: {
  pending: Pending;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
}) {
  const failed = pending.status === "failed";
  return (
    <Bubble mine state={pending.status} stored={false}>
      <header className="flex items-baseline gap-2 text-xs text-indigo-100">
        <span className="font-semibold" data-testid="sender">You</span>
        <span data-testid="delivery" data-delivery={pending.status}>
          {failed ? "Failed" : <><span aria-hidden>🕓 </span>Sending…</>}
        </span>
      </header>
      <p className="whitespace-pre-wrap break-words" data-testid="message-text">
        {pending.text}
      </p>
      {failed ? (
        <p className="mt-1 flex items-center gap-2 text-xs">
          <span role="alert">{pending.error ?? "Not sent"}</span>
          <button type="button" className="rounded bg-white px-2 py-0.5 font-semibold text-indigo-700" onClick={() => onRetry(pending.clientMsgId)}>
            Retry
          </button>
          {pending.retryable ? null : (
            <button type="button" className="rounded px-2 py-0.5 underline" onClick={() => onDiscard(pending.clientMsgId)}>
              Discard
            </button>
          )}
        </p>
      ) : null}
    </Bubble>
  );
}
