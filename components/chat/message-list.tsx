"use client";

import { useLayoutEffect, useRef } from "react";
import type { MessageDto } from "@/lib/schemas/dto";
import { clockTime } from "./format";
import type { Pending } from "./store";

type Row =
  | { kind: "stored"; key: string; message: MessageDto }
  | { kind: "pending"; key: string; pending: Pending };

export function MessageList({
  messages,
  pending,
  hasMore,
  me,
  onLoadOlder,
  onRetry,
}: {
  messages: MessageDto[];
  pending: Pending[];
  hasMore: boolean;
  me: string;
  onLoadOlder: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const firstSeq = useRef<number | undefined>(undefined);
  const heightBeforeOlder = useRef<number | null>(null);

  const rows: Row[] = [
    ...messages.map((message) => ({ kind: "stored" as const, key: message.id, message })),
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

  return (
    <div
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget;
        stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
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
        {rows.map((row) => (row.kind === "stored" ? <StoredMessage key={row.key} message={row.message} mine={row.message.senderId === me} /> : <PendingMessage key={row.key} pending={row.pending} onRetry={onRetry} />))}
      </div>
    </div>
  );
}

function Bubble({ mine, children, state }: { mine: boolean; children: React.ReactNode; state: string }) {
  return (
    <article
      data-state={state}
      className={`max-w-[80%] rounded-lg px-3 py-2 shadow-sm ${mine ? "self-end bg-indigo-600 text-white" : "self-start bg-white ring-1 ring-slate-200"}`}
    >
      {children}
    </article>
  );
}

function StoredMessage({ message, mine }: { message: MessageDto; mine: boolean }) {
  return (
    <Bubble mine={mine} state="sent">
      <header className={`flex items-baseline gap-2 text-xs ${mine ? "text-indigo-100" : "text-slate-500"}`}>
        <span className="font-semibold" data-testid="sender">{message.senderName}</span>
        <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
      </header>
      {/* Text is rendered as a text node: never parsed as HTML. */}
      <p className="whitespace-pre-wrap break-words" data-testid="message-text" data-seq={message.seq}>
        {message.text}
      </p>
    </Bubble>
  );
}

function PendingMessage({ pending, onRetry }: { pending: Pending; onRetry: (clientMsgId: string) => void }) {
  const failed = pending.status === "failed";
  return (
    <Bubble mine state={pending.status}>
      <header className="flex items-baseline gap-2 text-xs text-indigo-100">
        <span className="font-semibold" data-testid="sender">You</span>
        <span>{failed ? "Failed" : "Sending…"}</span>
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
        </p>
      ) : null}
    </Bubble>
  );
}
