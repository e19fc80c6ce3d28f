"use client";

import { useEffect, useState } from "react";
import { loadThrough } from "@/lib/client/message-requests";
import type { ConversationDto, MessageDto, ReplyPreview } from "@/lib/schemas/dto";
import { Composer, type ReplyTarget } from "./composer";
import { ConnectionStatus } from "./connection-status";
import { ConversationList } from "./conversation-list";
import { GroupPanel } from "./group-panel";
import { MessageList } from "./message-list";
import { PeoplePanel } from "./people-panel";
import { directPeer, PresenceStatus, TypingIndicator, typingIn } from "./presence";
import { PinnedBar } from "./pinned-bar";
import { conversationTitle } from "@/lib/client/views";
import { useChat } from "./use-chat";
import { useTabTitle } from "./use-tab-title";
import { SettingsControl, useSettings } from "./settings";
import { EnableNotifications, Toasts, useNotifications } from "./notifications";
import type { Settings } from "@/lib/schemas/user";

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
}: {
  me: { id: string; name: string };
  /** How long after sending one's own message can be edited or deleted for everyone (the server decides). */
  editWindowMs: number;
  socketUrl: string;
  initialConversations: ConversationDto[];
  initialActiveId: string | null;
  initialSettings: Settings;
}) {
  const { state, engine } = useChat({ me: me.id, socketUrl, initialConversations, initialActiveId });
  const active = state.conversations.find((c) => c.id === state.activeId) ?? null;
  const thread = active ? state.threads[active.id] : undefined;
  const latestSeq = thread?.messages.at(-1)?.seq ?? 0;
  const [detailsOpen, setDetailsOpen] = useState(false);
  const activeId = active?.id ?? null;
  const peer = active ? directPeer(active, me.id) : null;
  const onlineCount = active?.members.filter((m) => m.id !== me.id && state.presence.users[m.id]?.online).length ?? 0;

  /** To a pinned message: older pages are loaded until it is there, then it is scrolled to and focused. */
  const jumpTo = async (message: MessageDto) => {
    if (!engine || !(await loadThrough(engine, message.conversationId, message.seq))) return;
    for (let frame = 0; frame < 30; frame += 1) {
      const element = document.getElementById(`message-${message.id}`);
      if (element) {
        element.scrollIntoView({ block: "center" });
        return element.focus({ preventScroll: true });
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  };
  // Whether the open conversation is scrolled to its newest message: only then is it read.
  const [atBottom, setAtBottom] = useState(true);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  useTabTitle(state.conversations);
  const [settings, saveSettings] = useSettings(engine, initialSettings);

  const open = (id: string) => {
    setAtBottom(true);
    setReplyTo(null);
    window.history.replaceState(null, "", `/chat?c=${id}`);
    void engine?.openThread(id);
  };

  const { toasts, dismiss } = useNotifications({ engine, me: me.id, open });

  useEffect(() => {
    // Once the engine exists, for the conversation named in the URL.
    if (engine && initialActiveId) void engine.openThread(initialActiveId);
  }, [engine, initialActiveId]);

  // Leaving a conversation (or the page) ends the "typing…" others see there.
  useEffect(() => {
    if (!engine || !activeId) return;
    return () => engine.presence.stopTyping(activeId);
  }, [engine, activeId]);

  // Reading the open conversation at its bottom while the tab is visible marks it read (and clears
  // "Mark as unread"); scrolled up in its history, the newer messages stay unread.
  useEffect(() => {
    if (!engine || !active || !atBottom || (latestSeq <= active.lastReadSeq && !active.markedUnread)) return;
    const mark = () => {
      if (document.visibilityState === "visible") void engine.markRead(active.id, latestSeq);
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    return () => document.removeEventListener("visibilitychange", mark);
  }, [engine, active, latestSeq, atBottom]);

  // A quote was clicked: older pages load until the original is there, then it is shown highlighted.
  const jump = async (conversationId: string, preview: ReplyPreview) => {
    if (!engine || !(await loadThrough(engine, conversationId, preview.seq))) return;
    setHighlightId(preview.id);
    setTimeout(() => setHighlightId((current) => (current === preview.id ? null : current)), 2_000);
  };

  const markUnread = (id: string) => {
    // Leaves the conversation, or reading it would clear the mark at once.
    engine?.dispatch({ type: "active/set", id: null });
    window.history.replaceState(null, "", "/chat");
    void engine?.personal.markUnread(id, true);
  };

  return (
    <div className="flex h-dvh">
      <Toasts toasts={toasts} onOpen={open} onDismiss={dismiss} />
      <aside className="flex w-80 shrink-0 flex-col border-r border-slate-200 bg-white">
        <header className="flex items-center justify-between gap-2 border-b border-slate-200 p-3">
          <div>
            <p className="font-bold">Parley</p>
            <p className="text-xs text-slate-600">{me.name}</p>
            <SettingsControl settings={settings} onChange={saveSettings} />
            <EnableNotifications />
          </div>
          <div className="flex flex-col items-end gap-1">
            <ConnectionStatus state={state.connection} />
            <button type="button" className="text-xs text-slate-600 underline" onClick={() => void signOutLazily()}>
              Sign out
            </button>
          </div>
        </header>
        <PeoplePanel
          onStart={async (input) => (engine ? engine.startConversation(input) : { ok: false, error: { code: "UNAVAILABLE", message: "Still connecting, try again", retryable: true } })}
          onOpened={open}
        />
        <ConversationList conversations={state.conversations} me={me.id} activeId={state.activeId} presence={state.presence} onOpen={open} />
      </aside>
      <main className="flex min-w-0 flex-1 flex-col" aria-label={active ? conversationTitle(active, me.id) : "No conversation"}>
        {active ? (
          <>
            <header className="flex items-start justify-between gap-2 border-b border-slate-200 bg-white px-4 py-3">
              <div className="min-w-0">
                <h1 className="font-semibold">{conversationTitle(active, me.id)}</h1>
                {active.kind === "group" ? (
                  <p className="truncate text-xs text-slate-500">
                    {active.members.map((m) => m.name).join(", ")}
                    {onlineCount > 0 ? <span data-testid="online-count"> · {onlineCount} online</span> : null}
                  </p>
                ) : null}
                {peer ? <PresenceStatus presence={state.presence.users[peer]} /> : null}
              </div>
              <div className="flex shrink-0 gap-2">
                <button
                  type="button"
                  aria-pressed={active.muted}
                  className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100"
                  onClick={() => void engine?.personal.mute(active.id, !active.muted)}
                >
                  {active.muted ? "Unmute" : "Mute"}
                </button>
                {active.lastSeq > 0 ? (
                  <button type="button" className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100" onClick={() => markUnread(active.id)}>
                    Mark as unread
                  </button>
                ) : null}
                {active.kind === "group" ? (
                  <button type="button" className="rounded-md border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100" aria-expanded={detailsOpen} onClick={() => setDetailsOpen((open) => !open)}>
                    Group details
                  </button>
                ) : null}
              </div>
            </header>
            {active.kind === "group" && detailsOpen && engine ? (
              <GroupPanel key={`group-${active.id}`} conversation={active} me={me.id} onChange={(request) => engine.changeGroup(request)} />
            ) : null}
            <PinnedBar pinned={thread?.pinned ?? []} onJump={(message) => void jumpTo(message)} />
            <MessageList
              key={`messages-${active.id}`}
              onAtBottom={setAtBottom}
              hideRead={!settings.readReceipts}
              onReply={(message) => setReplyTo({ id: message.id, senderName: message.senderName, excerpt: message.text.slice(0, 100) })}
              onJump={(preview) => void jump(active.id, preview)}
              highlightId={highlightId}
              mentionOf={me.id}
              conversation={active}
              messages={thread?.messages ?? []}
              pending={state.pending.filter((p) => p.conversationId === active.id)}
              hasMore={thread?.loaded ? thread.hasMore : false}
              me={me.id}
              onLoadOlder={async () => engine?.loadOlder(active.id)}
              onRetry={(id) => engine?.retry(id)}
              onDiscard={(id) => void engine?.discard(id)}
              onChangeMessage={(request) => (engine ? engine.changeMessage(request) : Promise.resolve(notReady))}
              editWindowMs={editWindowMs}
            />
            <TypingIndicator label={typingIn(active, state.presence)} />
            <Composer
              key={active.id}
              disabled={!engine}
              replyTo={replyTo}
              onCancelReply={() => setReplyTo(null)}
              members={active.members.filter((m) => m.id !== me.id)}
              onSend={(text, mentions) => {
                void engine?.send(active.id, text, { ...(replyTo ? { replyTo: replyTo.id } : {}), mentions });
                setReplyTo(null);
              }}
              onTyping={(text) => engine?.presence.typing(active.id, text)}
              onStopTyping={() => engine?.presence.stopTyping(active.id)}
            />
          </>
        ) : (
          <div className="flex flex-1 items-center justify-center text-slate-500">Pick a conversation, or search for someone to start one.</div>
        )}
      </main>
    </div>
  );
}
