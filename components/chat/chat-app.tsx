"use client";

import dynamic from "next/dynamic";
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { learnAvatars } from "@/lib/client/avatars";
import { retrying } from "@/lib/client/chunks";
import { loadThrough } from "@/lib/client/load-through";
import type { ConversationDto, MessageDto, ReplyPreview } from "@/lib/schemas/dto";
import type { Settings } from "@/lib/schemas/user";
import { conversationTitle } from "@/lib/client/conversation-title";
import { newerHeard } from "@/lib/client/chat-state";
import type { SearchInput } from "@/lib/schemas/search";
import type { Theme } from "../theme";
import { CallLayer } from "../calls/call-layer";
import { Avatar } from "./avatar";
import type { ReplyTarget } from "./composer";
import { ConnectionStatus } from "./connection-status";
import { ConversationHeader, headerButton, type HeaderAction } from "./conversation-header";
import { ConversationList } from "./conversation-list";
import { GroupDetails, PinnedBar, RoomDetails, RoomsDirectory, SettingsPanel } from "./lazy-parts";
import { Composer, ComposerPlaceholder, MessageList, PeoplePanel, preloadChat } from "./lazy-thread";
import { ThreadSkeleton } from "./thread-skeleton";
import { Toasts, useNotifications } from "./notifications";
import { directPeer, TypingIndicator, typingIn } from "./presence";
import { useSettings, useTheme } from "./settings";
import { SidebarSearch, useSearchUi } from "./sidebar-search";
import { useChat } from "./use-chat";
import { useTabTitle } from "./use-tab-title";

// Server-rendered, its code fetched after the page's first load (which has a budget).
const Welcome = dynamic(() => retrying(() => import("./welcome"))().then((m) => m.Welcome));

// next-auth's client (~9 kB gzipped) is needed for one click; fetched then, not with the page.
const signOutLazily = async () => {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/sign-in" });
};

const notReady = { ok: false, error: { code: "UNAVAILABLE", message: "Still connecting, try again", retryable: true } } as const;

/** Below Tailwind's `md` (768 px) one pane shows at a time: the list, or the open conversation. */
const NARROW = "(max-width: 767px)";
const isNarrow = () => typeof window !== "undefined" && window.matchMedia(NARROW).matches;


export function ChatApp({
  me,
  socketUrl,
  initialConversations,
  initialActiveId,
  editWindowMs,
  initialSettings,
  initialTheme,
  fileMaxBytes,
  uploadsKeptMs,
}: {
  me: { id: string; name: string; email?: string; avatar?: string };
  /** How long after sending one's own message can be edited or deleted for everyone (the server decides). */
  editWindowMs: number;
  socketUrl: string;
  initialConversations: ConversationDto[] | null;
  initialActiveId: string | null;
  initialSettings: Settings;
  initialTheme: Theme;
  /** The largest file the server takes (FILE_MAX_BYTES). */
  fileMaxBytes: number;
  /** How long the server keeps an upload no message took (FILE_UNATTACHED_SECONDS), in ms. */
  uploadsKeptMs: number;
}) {
  const { state, engine, send } = useChat({ me: me.id, socketUrl, initialConversations, initialActiveId, uploadsKeptMs });
  // The pictures of the people the page came with (the engine learns the rest as they arrive).
  useEffect(() => learnAvatars([...(initialConversations ?? []).flatMap((c) => c.members), me]), [initialConversations, me]);
  const active = state.conversations.find((c) => c.id === state.activeId) ?? null;
  const thread = active ? state.threads[active.id] : undefined;
  const latestSeq = thread?.messages.at(-1)?.seq ?? 0;
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [roomsOpen, setRoomsOpen] = useState(false);
  const roomIds = useMemo(() => new Set(state.conversations.filter((c) => c.kind === "room").map((c) => c.id)), [state.conversations]);
  const activeId = active?.id ?? null;
  const peer = active ? directPeer(active, me.id) : null;
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const detailsButton = useRef<HTMLButtonElement>(null);
  const [settings, saveSettings] = useSettings(engine, initialSettings);
  const [theme, setTheme] = useTheme(initialTheme);
  useTabTitle(state.conversations);

  // What the reader has had on screen in the open conversation: that much is read.
  const [seen, setSeen] = useState<{ id: string | null; seq: number; atBottom: boolean }>({ id: null, seq: 0, atBottom: false });
  const onSeen = useCallback((next: { seq: number; atBottom: boolean }) => setSeen((before) => (before.id === activeId && before.seq === next.seq && before.atBottom === next.atBottom ? before : { id: activeId, ...next })), [activeId]);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const pendingRead = useRef<(() => void) | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const editFromComposer = useRef(false);
  const search = useSearchUi();
  const runSearch = useMemo(() => (engine ? (input: SearchInput) => engine.search(input) : null), [engine]);

  useEffect(() => {
    preloadChat();
  }, []);

  const focusAfterOpen = () => {
    // On a phone the keyboard would cover half the thread: the title takes focus there instead.
    // The composer's code may still be on its way (lazy-thread.tsx): wait for it up to a second,
    // unless the person has moved focus elsewhere meanwhile.
    const from = document.activeElement;
    const attempt = (framesLeft: number) =>
      requestAnimationFrame(() => {
        const target = isNarrow() ? headingRef.current : composerRef.current;
        if (document.activeElement !== from && document.activeElement !== document.body) return;
        if (target) target.focus({ preventScroll: true });
        else if (framesLeft > 0) attempt(framesLeft - 1);
      });
    attempt(60);
  };

  /** Opens a conversation; `push` adds a history entry, so the browser's Back returns to where one was. */
  const open = (id: string, { push = true, at }: { push?: boolean; at?: MessageDto } = {}) => {
    // Its toasts have done their job once it is open.
    for (const toast of toastsRef.current) if (toast.conversationId === id) dismissRef.current(toast.id);
    setReplyTo(null);
    setEditingId(null);
    setDetailsOpen(false);
    if (push && id !== activeId) window.history.pushState({ parley: id }, "", `/chat?c=${id}`);
    if (at) {
      // A search result: the conversation opens at it (the message takes focus), the results stay.
      search.setPane(false);
      setHighlightId(null);
      void engine?.openAt(id, at.seq).then((held) => held && flash(at.id, 4_000));
      return;
    }
    void engine?.openThread(id);
    focusAfterOpen();
  };

  /** Back to the list (the one pane of a phone). */
  const close = () => {
    engine?.dispatch({ type: "active/set", id: null });
    setDetailsOpen(false);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-conversation-id="${activeId}"]`)?.focus());
  };

  const back = () => {
    if ((window.history.state as { parley?: string } | null)?.parley === activeId) window.history.back();
    else {
      window.history.replaceState(null, "", "/chat");
      close();
    }
  };

  // The browser's Back and Forward move between the list and conversations.
  useEffect(() => {
    const moved = () => {
      const id = new URLSearchParams(window.location.search).get("c");
      const was = engine?.getState().activeId ?? null;
      if (id && engine?.getState().conversations.some((c) => c.id === id)) {
        void engine.openThread(id);
        focusAfterOpen();
      } else {
        engine?.dispatch({ type: "active/set", id: null });
        // Back in the list: on the conversation just left.
        requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-conversation-id="${was}"]`)?.focus());
      }
    };
    window.addEventListener("popstate", moved);
    return () => window.removeEventListener("popstate", moved);
  }, [engine]);

  const { toasts, dismiss } = useNotifications({ engine, me: me.id, open });
  const toastsRef = useRef(toasts);
  const dismissRef = useRef(dismiss);
  useEffect(() => {
    toastsRef.current = toasts;
    dismissRef.current = dismiss;
  });

  useEffect(() => {
    // Once the engine exists, for the conversation named in the URL.
    if (engine && initialActiveId) void engine.openThread(initialActiveId);
  }, [engine, initialActiveId]);

  // Leaving a conversation (or the page) ends the "typing…" others see there.
  useEffect(() => {
    if (!engine || !activeId) return;
    return () => engine.presence.stopTyping(activeId);
  }, [engine, activeId]);

  // What has been on screen while the tab is visible is read; scrolled up in the history, the
  // newer messages stay unread. Reaching the end also clears "Mark as unread".
  const seenSeq = seen.id === activeId ? seen.seq : 0;
  const seenAtBottom = seen.id === activeId && seen.atBottom;
  useEffect(() => {
    if (!engine || !active) return;
    const upTo = seenAtBottom ? latestSeq : Math.min(seenSeq, latestSeq);
    if (upTo <= active.lastReadSeq && !(active.markedUnread && seenAtBottom)) return;
    if (upTo === 0) return;
    const mark = () => {
      if (document.visibilityState !== "visible") return;
      pendingRead.current = null;
      void engine.markRead(active.id, upTo);
    };
    // Once the scrolling pauses, not for every message that passes by; leaving the conversation
    // sooner still counts what was on screen (below).
    pendingRead.current = mark;
    const timer = setTimeout(mark, 200);
    document.addEventListener("visibilitychange", mark);
    return () => {
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", mark);
    };
  }, [engine, active, latestSeq, seenSeq, seenAtBottom]);
  useEffect(() => () => pendingRead.current?.(), [activeId]);

  /** To a quoted or pinned message: older pages load until it is there, then it is shown highlighted. */
  const jump = async (conversationId: string, target: { id: string; seq: number }) => {
    if (!engine || !(await loadThrough(engine, conversationId, target.seq))) return;
    setHighlightId(null);
    flash(target.id, 2_000);
  };

  /** Shows a message highlighted (MessageList scrolls to it and focuses it) for a while. */
  const flash = (id: string, ms: number) => {
    requestAnimationFrame(() => setHighlightId(id));
    setTimeout(() => setHighlightId((current) => (current === id ? null : current)), ms);
  };

  const markUnread = (id: string) => {
    // Leaves the conversation, or reading it would clear the mark at once.
    engine?.dispatch({ type: "active/set", id: null });
    window.history.replaceState(null, "", "/chat");
    void engine?.personal.markUnread(id, true);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-conversation-id="${id}"]`)?.focus());
  };

  const title = active ? conversationTitle(active, me.id) : "";
  const actions: HeaderAction[] = active
    ? [
        { key: "mute", label: active.muted ? "Unmute" : "Mute", pressed: active.muted, run: () => void engine?.personal.mute(active.id, !active.muted) },
        ...(active.lastSeq > 0 ? [{ key: "unread", label: "Mark as unread", run: () => markUnread(active.id) }] : []),
      ]
    : [];

  return (
    <div className="flex h-dvh overflow-hidden bg-app">
      <a
        href="#composer"
        onClick={(event) => {
          event.preventDefault();
          composerRef.current?.focus();
        }}
        className="sr-only z-50 rounded-lg bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:left-2 focus:top-2"
      >
        Skip to the message box
      </a>
      <aside className={`${active && !(search.searching && search.pane) ? "hidden md:flex" : "flex"} w-full shrink-0 flex-col border-r border-line bg-surface md:w-80 lg:w-96`}>
        <header className="flex items-center justify-between gap-2 px-4 pb-2 pt-3">
          <div className="flex min-w-0 items-center gap-2.5">
            <Avatar id={me.id} name={me.name} size="md" />
            <div className="min-w-0">
              <p className="truncate font-semibold leading-tight" dir="auto">
                {me.name}
              </p>
              <ConnectionStatus state={state.connection} />
            </div>
          </div>
          <div className="flex shrink-0 items-center">
            <button type="button" className={headerButton} aria-label="Browse rooms" title="Browse rooms" onClick={() => setRoomsOpen(true)}>
              <HashIcon />
            </button>
            <button type="button" className={headerButton} aria-label="Settings" title="Settings" onClick={() => setSettingsOpen(true)}>
              <GearIcon />
            </button>
          </div>
        </header>
        {active ? null : <Toasts toasts={toasts} onOpen={open} onDismiss={dismiss} />}
        <SidebarSearch {...search} run={runSearch} conversations={state.conversations} me={me.id} onChoose={(hit) => open(hit.conversationId, { at: hit })}>
          <PeoplePanel onStart={async (input) => (engine ? engine.startConversation(input) : notReady)} onOpened={open} />
          <ConversationList conversations={state.conversations} listed={state.listed} me={me.id} activeId={state.activeId} presence={state.presence} onOpen={open} />
        </SidebarSearch>
      </aside>
      <main className={`${active && !(search.searching && search.pane) ? "flex" : "hidden md:flex"} min-w-0 flex-1`} aria-label={active ? title : "No conversation"}>
        {active ? (
          <>
            <div ref={paneRef} className="relative flex min-w-0 flex-1 flex-col">
              <ConversationHeader
                key={`header-${active.id}`}
                conversation={active}
                me={me.id}
                title={title}
                presence={state.presence}
                headingRef={headingRef}
                detailsButton={detailsButton}
                detailsOpen={detailsOpen}
                onToggleDetails={() => setDetailsOpen((open) => !open)}
                searching={search.scope?.id === active.id}
                onSearchIn={() => search.within({ id: active.id, name: title })}
                onCall={(media) => engine?.calls.place(active.id, media)}
                actions={actions}
                onBack={back}
              />
              <Toasts toasts={toasts} onOpen={open} onDismiss={dismiss} />
              {thread?.pinned.length ? (
                <Suspense fallback={null}>
                  <PinnedBar pinned={thread.pinned} onJump={(message: MessageDto) => void jump(message.conversationId, message)} />
                </Suspense>
              ) : null}
              <Suspense
                fallback={
                  <div className="min-h-0 flex-1 overflow-hidden px-3 pt-3 sm:px-6">
                    <ThreadSkeleton />
                  </div>
                }
              >
                <MessageList
                  key={`messages-${active.id}`}
                  onSeen={onSeen}
                  hideRead={!settings.readReceipts}
                  onReply={(message) => {
                    setReplyTo({ id: message.id, senderName: message.senderName, excerpt: message.text.slice(0, 100) || (message.attachments?.length ? "📎 Attachment" : "") });
                    composerRef.current?.focus();
                  }}
                  onJump={(preview: ReplyPreview) => void jump(active.id, preview)}
                  highlightId={highlightId}
                  mentionOf={me.id}
                  conversation={active}
                  messages={thread?.messages ?? []}
                  pending={state.pending.filter((p) => p.conversationId === active.id)}
                  loaded={thread?.loaded ?? false}
                  hasMore={thread?.loaded ? thread.hasMore : false}
                  hasNewer={thread?.loaded ? (thread.hasNewer ?? false) : false}
                  newerCount={newerHeard(thread, me.id)}
                  me={me.id}
                  onLoadOlder={async () => engine?.loadOlder(active.id)}
                  onLoadNewer={async () => engine?.loadNewer(active.id)}
                  onJumpLatest={async () => engine?.loadLatest(active.id)}
                  onRetry={(id) => engine?.retry(id)}
                  onDiscard={(id) => void engine?.discard(id)}
                  onCancel={(id) => void engine?.cancel(id)}
                  onChangeMessage={(request) => (engine ? engine.changeMessage(request) : Promise.resolve(notReady))}
                  editWindowMs={editWindowMs}
                  onLeave={() => composerRef.current?.focus()}
                  onCall={peer ? (media) => engine?.calls.place(active.id, media) : undefined}
                  onReach={async (seq) => engine && loadThrough(engine, active.id, seq)}
                editingId={editingId}
                onEditing={(id) => {
                  setEditingId(id);
                  if (id === null) {
                    // An edit begun with ↑ in the composer ends back there.
                    if (editFromComposer.current) requestAnimationFrame(() => composerRef.current?.focus());
                    editFromComposer.current = false;
                    return;
                  }
                  requestAnimationFrame(() => document.getElementById(`message-${id}`)?.scrollIntoView({ block: "nearest" }));
                }}
                />
              </Suspense>
              <TypingIndicator label={typingIn(active, state.presence)} />
              {active.room?.archived ? (
                <p role="status" className="border-t border-line bg-surface px-4 py-3 text-center text-sm text-muted">
                  This room is archived: it is read-only.
                </p>
              ) : (
              <Suspense fallback={<ComposerPlaceholder />}>
                <Composer
                  key={active.id}
                  textareaRef={composerRef}
                  draftKey={`parley.draft.${me.id}.${active.id}`}
                  onEditLast={() => {
                    // My newest message still within the edit window, as Slack and Telegram do.
                    const last = thread?.messages.findLast((m) => m.senderId === me.id && m.kind === "text" && m.deletedAt === null && !m.hidden);
                    if (!last || Date.now() - new Date(last.createdAt).getTime() > editWindowMs) return false;
                    editFromComposer.current = true;
                    setEditingId(last.id);
                    return true;
                  }}
                  replyTo={replyTo}
                  onCancelReply={() => setReplyTo(null)}
                  members={active.members.filter((m) => m.id !== me.id)}
                  fileMaxBytes={fileMaxBytes}
                  dropZone={paneRef}
                  onSend={(text, mentions, files) => {
                    // From a window at an older message, the thread goes back to its end, where this one shows.
                    if (thread?.hasNewer) void engine?.loadLatest(active.id);
                    send(active.id, text, { ...(replyTo ? { replyTo: replyTo.id } : {}), mentions, files });
                    setReplyTo(null);
                  }}
                  onTyping={(text) => engine?.presence.typing(active.id, text)}
                  onStopTyping={() => engine?.presence.stopTyping(active.id)}
                />
              </Suspense>
              )}
            </div>
            {active.kind === "group" && detailsOpen && engine ? (
              <Suspense fallback={null}>
                <GroupDetails
                  key={`group-${active.id}`}
                  conversation={active}
                  me={me.id}
                  onChange={(request) => engine.changeGroup(request)}
                  onClose={() => {
                    setDetailsOpen(false);
                    detailsButton.current?.focus();
                  }}
                />
              </Suspense>
            ) : null}
            {active.kind === "room" && detailsOpen && engine ? (
              <Suspense fallback={null}>
                <RoomDetails
                  key={`room-${active.id}`}
                  conversation={active}
                  me={me.id}
                  engine={engine}
                  onClose={() => {
                    setDetailsOpen(false);
                    detailsButton.current?.focus();
                  }}
                />
              </Suspense>
            ) : null}
          </>
        ) : (
          <Welcome name={me.name} />
        )}
      </main>
      <CallLayer engine={engine} me={me.id} />
      {roomsOpen && engine ? (
        <Suspense fallback={null}>
          <RoomsDirectory
            engine={engine}
            memberOf={roomIds}
            onClose={() => setRoomsOpen(false)}
            onOpen={(id) => {
              setRoomsOpen(false);
              open(id);
            }}
          />
        </Suspense>
      ) : null}
      {settingsOpen ? (
        <Suspense fallback={null}>
          <SettingsPanel
            me={me}
            settings={settings}
            onChange={saveSettings}
            theme={theme}
            onTheme={setTheme}
            onClose={() => setSettingsOpen(false)}
            onSignOut={() => void signOutLazily()}
          />
        </Suspense>
      ) : null}
    </div>
  );
}

function GearIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <circle cx="12" cy="12" r="3" />
      <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
    </svg>
  );
}

function HashIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
      <path d="M5 9h14M5 15h14M10 4 8 20M16 4l-2 16" />
    </svg>
  );
}
