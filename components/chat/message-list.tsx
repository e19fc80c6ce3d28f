"use client";

import { Suspense, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import type { Pending } from "@/lib/client/chat-state";
import { deliveryOf } from "@/lib/client/views";
import type { ConversationDto, MessageDto, ReplyPreview } from "@/lib/schemas/dto";
import { CallEntry } from "./call-entry";
import type { ViewerImage } from "./files/viewer";
import { ImageViewer } from "./lazy-parts";
import { DaySeparator, IntroCard, PendingMessage, StoredMessage, SystemMessage, UnreadDivider } from "./message-rows";
import { withinWindow, type ChangeMessage } from "./message-tools";
import { ThreadSkeleton } from "./thread-skeleton";
import { threadRows, type Row } from "./thread-rows";

/** Closer than this to the bottom counts as at the bottom. */
const BOTTOM_SLACK_PX = 80;
/** How far back a conversation is loaded on opening, to start at its first unread message. */
const REACH_MAX = 500;

export function MessageList({
  conversation,
  messages,
  pending,
  loaded,
  hasMore,
  hasNewer = false,
  newerCount = 0,
  me,
  onLoadOlder,
  onLoadNewer,
  onJumpLatest,
  onRetry,
  onDiscard,
  onCancel,
  onChangeMessage,
  editWindowMs,
  onSeen,
  hideRead = false,
  onReply,
  onJump,
  highlightId = null,
  mentionOf,
  onLeave,
  onCall,
  onReach,
  editingId = null,
  onEditing,
}: {
  conversation: ConversationDto;
  messages: MessageDto[];
  pending: Pending[];
  /** A page of history has come in: before that, a skeleton. */
  loaded: boolean;
  hasMore: boolean;
  /** The loaded stretch stops short of the newest message (opened at a search result). */
  hasNewer?: boolean;
  /** Others' messages heard beyond such a stretch: the jump-to-latest button's count. */
  newerCount?: number;
  me: string;
  onLoadOlder: () => Promise<void>;
  /** The next newer page, while `hasNewer`. */
  onLoadNewer?: () => Promise<void>;
  /** Back to the newest page, from a stretch that stops short of it. */
  onJumpLatest?: () => Promise<void>;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
  /** Takes back a message with files while it uploads. */
  onCancel?: (clientMsgId: string) => void;
  onChangeMessage: ChangeMessage;
  editWindowMs: number;
  /** The newest message the reader has had on screen, and whether the view is at the bottom. */
  onSeen?: (seen: { seq: number; atBottom: boolean }) => void;
  /** My read receipts are off: no one's read state is shown. */
  hideRead?: boolean;
  onReply?: (message: MessageDto) => void;
  /** A quote was clicked: show its original. */
  onJump?: (preview: ReplyPreview) => void;
  /** The message just jumped to, shown highlighted. */
  highlightId?: string | null;
  /** Messages mentioning this user are highlighted. */
  mentionOf?: string;
  /** Focus should leave the list (Tab is the browser's; this is for Escape): to the composer. */
  onLeave?: () => void;
  /** "Call back" on a call entry (direct conversations). */
  onCall?: (media: "audio" | "video") => void;
  /** Loads older pages until the message with this seq is in (for opening at the first unread). */
  onReach?: (seq: number) => Promise<unknown>;
  /** The message being edited in place (one at a time), and the way to start or end that. */
  editingId?: string | null;
  onEditing?: (id: string | null) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const positioned = useRef(false);
  const firstSeq = useRef<number | undefined>(undefined);
  const heightBeforeOlder = useRef<number | null>(null);
  const loadingNewer = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  const [seenSeq, setSeenSeq] = useState(0);
  // Where the "New messages" divider goes: fixed when the conversation opens, so reading does
  // not move it; none when nothing was unread.
  const [unreadAfterSeq] = useState(() => (conversation.unreadCount > 0 ? conversation.lastReadSeq : null));
  const [current, setCurrent] = useState<string | null>(null);
  // Opening at the first unread message when it is older than the latest page: pages load until
  // it is in (up to REACH_MAX messages back), and only then does the thread show, at the divider.
  // Not when opened at a message (a search result): that is where the reader wants to be.
  const [reach, setReach] = useState<"idle" | "done">(() => (hasNewer || highlightId ? "done" : "idle"));
  const firstUnread = unreadAfterSeq === null ? null : unreadAfterSeq + 1;
  // Once the view has jumped to a message (a search result, a quote), it stays there: no reaching
  // back to the first unread later, which would hide the thread while it loads.
  const [anchored, setAnchored] = useState(false);
  if (highlightId && !anchored) setAnchored(true);
  const mustReach = loaded && reach !== "done" && !hasNewer && !anchored && !highlightId && firstUnread !== null && hasMore && (messages[0]?.seq ?? 0) > firstUnread && (messages.at(-1)?.seq ?? 0) - firstUnread <= REACH_MAX && onReach !== undefined;
  const [pressed, setPressed] = useState<string | null>(null);
  // Said aloud when the view jumps to a message (a search result, a quote, a pin).
  const [jumpedTo, setJumpedTo] = useState("");
  // The picture open in the viewer, and every picture of the loaded messages, in order, to page through.
  const [viewing, setViewing] = useState<string | null>(null);
  const images = useMemo(
    () =>
      messages.flatMap((m): ViewerImage[] =>
        m.hidden || m.deletedAt ? [] : (m.attachments ?? []).filter((file) => file.kind === "image").map((file) => ({ file, senderName: m.senderName, createdAt: m.createdAt })),
      ),
    [messages],
  );

  const names = useMemo(() => new Map(conversation.members.map((m) => [m.id, m.name])), [conversation.members]);
  // Before the history is in, only what I am sending shows (under the skeleton): what arrived live
  // would show out of its place, and scrolling to it would count it read.
  const rows = useMemo(() => threadRows({ messages: loaded ? messages : [], pending, me, unreadAfterSeq }), [loaded, messages, pending, me, unreadAfterSeq]);
  const lastSeq = messages.at(-1)?.seq ?? 0;
  const newBelow = hasNewer ? newerCount : messages.filter((m) => m.seq > seenSeq && m.senderId !== me && !m.hidden).length;
  // The message the list's single Tab stop is on: the one last focused, else the newest.
  const focusable = rows.filter((row): row is Extract<Row, { kind: "message" | "pending" }> => row.kind === "message" || row.kind === "pending");
  const currentKey = focusable.some((row) => row.key === current) ? current : (focusable.at(-1)?.key ?? null);

  /** Reads what is on screen: the newest message whose top is in view, and whether the end is. */
  const measure = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    // The end of a stretch that stops short of the newest message is not the bottom: nothing sticks
    // there, and reaching it does not read what lies beyond.
    const bottom = !hasNewer && element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
    stickToBottom.current = bottom;
    setAtBottom(bottom);
    const limit = element.getBoundingClientRect().bottom;
    let seen = 0;
    for (const article of element.querySelectorAll<HTMLElement>("article[data-seq]")) {
      if (article.getBoundingClientRect().top < limit - 8) seen = Math.max(seen, Number(article.dataset.seq));
    }
    if (bottom) seen = Math.max(seen, lastSeq);
    setSeenSeq((before) => Math.max(before, seen));
    onSeen?.({ seq: seen, atBottom: bottom });
  }, [lastSeq, onSeen, hasNewer]);

  // First sight of the history: at the "New messages" divider when there is one, else the end.
  // After that, new messages keep the view at the bottom if it was there, and an older page
  // keeps the reader's place.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const oldest = messages[0]?.seq;
    // Until the history is in (and reaches the first unread), nothing scrolls: a scroll to the end
    // now would count the whole thread as read.
    if (!loaded || mustReach) return;
    if (!positioned.current && loaded) {
      positioned.current = true;
      const divider = element.querySelector<HTMLElement>("[data-unread-divider]");
      if (hasNewer) {
        // A window around a message: the jump to it (below) centres it.
        element.scrollTop = (element.scrollHeight - element.clientHeight) / 2;
        stickToBottom.current = false;
      } else if (divider) {
        // A little of what was already read stays in view above the divider.
        element.scrollTop = divider.offsetTop - Math.min(160, element.clientHeight / 4);
        stickToBottom.current = false;
      } else {
        element.scrollTop = element.scrollHeight;
      }
    } else if (heightBeforeOlder.current !== null && oldest !== firstSeq.current) {
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (stickToBottom.current && !hasNewer) {
      element.scrollTop = element.scrollHeight;
    }
    firstSeq.current = oldest;
  }, [messages, pending, loaded, mustReach, hasNewer]);

  const loadNewer = useCallback(() => {
    if (!hasNewer || loadingNewer.current || !onLoadNewer) return;
    loadingNewer.current = true;
    void onLoadNewer().finally(() => (loadingNewer.current = false));
  }, [hasNewer, onLoadNewer]);

  const reaching = useRef(false);
  useEffect(() => {
    if (!mustReach || reaching.current) return;
    reaching.current = true;
    void onReach!(firstUnread!).finally(() => setReach("done"));
  }, [mustReach, onReach, firstUnread]);

  // What is on screen is measured after every change of content, and on scroll below.
  useEffect(() => {
    if (!loaded || mustReach) return;
    const frame = requestAnimationFrame(measure);
    return () => cancelAnimationFrame(frame);
  }, [loaded, mustReach, rows, measure]);

  // A jump to a quoted or pinned message: after the effects above, so the pin to the bottom does not undo it.
  useLayoutEffect(() => {
    const target = highlightId ? scroller.current?.querySelector<HTMLElement>(`[data-message-id="${highlightId}"]`) : null;
    if (!target) return;
    stickToBottom.current = false;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    setJumpedTo(`Showing the message of ${target.getAttribute("aria-label") ?? ""}`);
  }, [highlightId]);

  // One Tab stop: only the current message's own controls (its toolbar, links, quote, reactions)
  // are in the Tab order; arrow keys move between messages.
  useLayoutEffect(() => {
    for (const article of log.current?.querySelectorAll<HTMLElement>("article[data-row-key]") ?? []) {
      const active = article.dataset.rowKey === currentKey;
      article.tabIndex = active ? 0 : -1;
      for (const control of article.querySelectorAll<HTMLElement>("a[href], button, textarea, input, [data-tabbable]")) {
        if (control.getAttribute("role") === "menuitem") continue;
        control.tabIndex = active ? 0 : -1;
      }
    }
  });

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    if (target.tagName !== "ARTICLE") {
      if (event.key === "Escape") target.closest<HTMLElement>("article")?.focus();
      return;
    }
    if (event.key === "Escape") return onLeave?.();
    const keys = focusable.map((row) => row.key);
    const index = keys.indexOf(target.dataset.rowKey ?? "");
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined || index < 0) return;
    event.preventDefault();
    const key = keys[Math.max(0, Math.min(keys.length - 1, next))];
    if (!key) return;
    setCurrent(key);
    log.current?.querySelector<HTMLElement>(`article[data-row-key="${CSS.escape(key)}"]`)?.focus();
    if (event.key === "ArrowUp" && next < 0 && hasMore) {
      heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
      void onLoadOlder();
    }
    if (event.key === "ArrowDown" && next >= keys.length) loadNewer();
  };

  const toBottom = () => {
    const element = scroller.current;
    if (!element) return;
    if (hasNewer) {
      // The newest page replaces the window; the effect above then pins the view to its end.
      void onJumpLatest?.().then(() => {
        stickToBottom.current = true;
        if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
      });
      onLeave?.();
      return;
    }
    stickToBottom.current = true;
    element.scrollTo({ top: element.scrollHeight, behavior: "smooth" });
    onLeave?.();
  };

  const intro = loaded && messages.length === 0 && pending.length === 0 && !hasMore;
  const peer = conversation.kind === "direct" ? conversation.members.find((m) => m.id !== me) : undefined;

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
      <div
        ref={scroller}
        onScroll={() => {
          if (!positioned.current) return;
          measure();
          const element = scroller.current;
          // Near the top with more to read: the next older page comes in on its own.
          if (element && element.scrollTop < 120 && hasMore && heightBeforeOlder.current === null && positioned.current) {
            heightBeforeOlder.current = element.scrollHeight;
            void onLoadOlder();
          }
          // Near the end of a window that stops short of the newest message: the next newer page.
          if (element && hasNewer && element.scrollHeight - element.scrollTop - element.clientHeight < 120) loadNewer();
        }}
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-3 pb-2 pt-3 sm:px-6"
      >
        {hasMore && loaded && !mustReach ? (
          <div className="mb-3 flex justify-center">
            <button
              type="button"
              className="rounded-full border border-line bg-surface px-3 py-1 text-sm text-muted shadow-sm hover:bg-hover"
              onClick={() => {
                heightBeforeOlder.current = scroller.current?.scrollHeight ?? null;
                void onLoadOlder();
              }}
            >
              Load older
            </button>
          </div>
        ) : null}
        {intro ? <IntroCard conversation={conversation} peerName={peer?.name} peerId={peer?.id} /> : null}
        {!loaded || mustReach ? <ThreadSkeleton /> : null}
        <div
          ref={log}
          role="log"
          aria-label="Messages"
          aria-live="polite"
          aria-busy={!loaded || mustReach}
          onKeyDown={onKeyDown}
          onFocus={(event) => {
            const key = (event.target as HTMLElement).closest<HTMLElement>("article[data-row-key]")?.dataset.rowKey;
            if (key) setCurrent(key);
          }}
          className={`mx-auto flex max-w-3xl flex-col ${mustReach ? "hidden" : ""}`}
        >
          {rows.map((row) => {
            switch (row.kind) {
              case "day":
                return <DaySeparator key={row.key} label={row.label} />;
              case "unread":
                return <UnreadDivider key={row.key} />;
              case "system":
                return <SystemMessage key={row.key} message={row.message} />;
              case "call":
                return <CallEntry key={row.key} message={row.message} me={me} onCall={onCall} />;
              case "message":
                return (
                  <StoredMessage
                    key={row.key}
                    rowKey={row.key}
                    message={row.message}
                    first={row.first}
                    last={row.last}
                    delivery={row.message.senderId === me ? deliveryOf(conversation, row.message, { hideRead }) : null}
                    group={conversation.kind !== "direct"}
                    me={me}
                    names={names}
                    editable={withinWindow(row.message, editWindowMs)}
                    onChange={onChangeMessage}
                    highlighted={row.message.id === highlightId}
                    mentionsMe={mentionOf !== undefined && row.message.mentions.includes(mentionOf)}
                    onReply={onReply}
                    onJump={onJump}
                    pressed={pressed === row.key}
                    onPress={setPressed}
                    editing={editingId === row.message.id}
                    onEditing={(on) => onEditing?.(on ? row.message.id : null)}
                    onOpenImage={setViewing}
                  />
                );
              case "pending":
                return <PendingMessage key={row.key} rowKey={row.key} pending={row.pending} first={row.first} last={row.last} onRetry={onRetry} onDiscard={onDiscard} onCancel={onCancel} />;
            }
          })}
        </div>
        {hasNewer && loaded ? (
          <div className="mt-3 flex justify-center">
            <button type="button" className="rounded-full border border-line bg-surface px-3 py-1 text-sm text-muted shadow-sm hover:bg-hover" onClick={loadNewer}>
              Load newer
            </button>
          </div>
        ) : null}
      </div>
      <p aria-live="polite" className="sr-only">
        {jumpedTo}
      </p>
      {viewing && images.some((image) => image.file.id === viewing) ? (
        <Suspense fallback={null}>
          <ImageViewer images={images} startId={viewing} onClose={() => setViewing(null)} />
        </Suspense>
      ) : null}
      {(!atBottom || hasNewer) && loaded ? (
        <button
          type="button"
          onClick={toBottom}
          data-testid="jump-to-bottom"
          aria-label={newBelow > 0 ? `${newBelow} new ${newBelow === 1 ? "message" : "messages"}, jump to the latest` : "Jump to the latest message"}
          className="absolute bottom-3 right-4 flex items-center gap-1.5 rounded-full bg-surface px-3 py-2 text-sm font-medium text-fg shadow-lg ring-1 ring-line hover:bg-hover sm:right-6"
        >
          {newBelow > 0 ? (
            <span className="rounded-full bg-accent px-1.5 text-xs font-semibold text-accent-fg" data-testid="jump-count">
              {newBelow > 99 ? "99+" : newBelow}
            </span>
          ) : null}
          <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden>
            <path d="M12 5v14M5 12l7 7 7-7" />
          </svg>
        </button>
      ) : null}
    </div>
  );
}
