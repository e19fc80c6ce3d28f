"use client";

import dynamic from "next/dynamic";
import { Suspense, useEffect, useMemo, useRef, useState } from "react";
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
import type { ReplyTarget } from "./composer";
import { ConversationHeader, type HeaderAction } from "./conversation-header";
import { ConversationList } from "./conversation-list";
import { ConversationDetails } from "./conversation-details";
import { PinnedBar, RoomsDirectory, SettingsPanel } from "./lazy-parts";
import { Composer, ComposerPlaceholder, MessageList, PeoplePanel, preloadChat } from "./lazy-thread";
import { ThreadSkeleton } from "./thread-skeleton";
import { focusAfterOpen, focusRow, useBackForward } from "./navigation";
import { Toasts, useNotifications } from "./notifications";
import { directPeer, TypingIndicator, typingIn } from "./presence";
import { useSettings, useTheme } from "./settings";
import { SidebarHeader } from "./sidebar-header";
import { SidebarSearch, useSearchUi } from "./sidebar-search";
import { useChat } from "./use-chat";
import { useEditing } from "./use-editing";
import { useHighlight } from "./use-highlight";
import { useReadMarking } from "./use-read-marking";
import { useTabTitle } from "./use-tab-title";

// Server-rendered, its code fetched after the page's first load (which has a budget).
const Welcome = dynamic(() => retrying(() => import("./welcome"))().then((m) => m.Welcome));

// next-auth's client (~9 kB gzipped) is needed for one click; fetched then, not with the page.
const signOutLazily = async () => {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl: "/sign-in" });
};

const notReady = { ok: false, error: { code: "UNAVAILABLE", message: "Still connecting, try again", retryable: true } } as const;

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

  const onSeen = useReadMarking(engine, active, latestSeq);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const { highlightId, flash, jump, clear: clearHighlight } = useHighlight(engine);
  const { editingId, onEditing, editLast, stopEditing } = useEditing({ composer: composerRef, messages: thread?.messages, me: me.id, editWindowMs });
  const search = useSearchUi();
  const runSearch = useMemo(() => (engine ? (input: SearchInput) => engine.search(input) : null), [engine]);

  useEffect(() => {
    preloadChat();
  }, []);

  const focusOpened = () => focusAfterOpen(headingRef, composerRef);

  /** Opens a conversation; `push` adds a history entry, so the browser's Back returns to where one was. */
  const open = (id: string, { push = true, at }: { push?: boolean; at?: MessageDto } = {}) => {
    // Its toasts have done their job once it is open.
    for (const toast of toastsRef.current) if (toast.conversationId === id) dismissRef.current(toast.id);
    setReplyTo(null);
    stopEditing();
    setDetailsOpen(false);
    if (push && id !== activeId) window.history.pushState({ parley: id }, "", `/chat?c=${id}`);
    if (at) {
      // A search result: the conversation opens at it (the message takes focus), the results stay.
      search.setPane(false);
      clearHighlight();
      void engine?.openAt(id, at.seq).then((held) => held && flash(at.id, 4_000));
      return;
    }
    void engine?.openThread(id);
    focusOpened();
  };

  /** Back to the list (the one pane of a phone). */
  const close = () => {
    engine?.dispatch({ type: "active/set", id: null });
    setDetailsOpen(false);
    focusRow(activeId);
  };

  const back = () => {
    if ((window.history.state as { parley?: string } | null)?.parley === activeId) window.history.back();
    else {
      window.history.replaceState(null, "", "/chat");
      close();
    }
  };

  useBackForward(engine, focusOpened);

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

  const markUnread = (id: string) => {
    // Leaves the conversation, or reading it would clear the mark at once.
    engine?.dispatch({ type: "active/set", id: null });
    window.history.replaceState(null, "", "/chat");
    void engine?.personal.markUnread(id, true);
    focusRow(id);
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
        <SidebarHeader me={me} connection={state.connection} onRooms={() => setRoomsOpen(true)} onSettings={() => setSettingsOpen(true)} />
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
                  onEditing={onEditing}
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
                  onEditLast={editLast}
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
            {detailsOpen && engine ? (
              <ConversationDetails
                conversation={active}
                me={me.id}
                engine={engine}
                onClose={() => {
                  setDetailsOpen(false);
                  detailsButton.current?.focus();
                }}
              />
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
