"use client";

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import {
  createConversationAction,
  listConversationsAction,
  loadMessagesAction,
  markDeliveredAction,
  markReadAction,
  markUnreadAction,
  muteConversationAction,
  searchMessagesAction,
  sendMessageAction,
  syncAction,
} from "@/app/(chat)/actions";
import { addMemberAction, removeMemberAction, renameConversationAction, setMemberRoleAction } from "@/app/(chat)/group-actions";
import { deleteMessageAction, editMessageAction, pinMessageAction, reactToMessageAction } from "@/app/(chat)/message-actions";
import { retrying } from "@/lib/client/chunks";
import type { ChatApi, ChatEngine } from "@/lib/client/engine";
import { initialChatState } from "@/lib/client/initial-state";
import type { SendExtra } from "@/lib/client/engine";
import type { Pending } from "@/lib/client/chat-state";
import type { ConversationDto } from "@/lib/schemas/dto";

// The browser's HTTP half is the server actions: same payloads, same clientMsgIds.
const serverActions: ChatApi = {
  send: (input) => sendMessageAction(input),
  sync: (input) => syncAction(input),
  loadMessages: (input) => loadMessagesAction(input),
  search: (input) => searchMessagesAction(input),
  listConversations: () => listConversationsAction(),
  markRead: (input) => markReadAction(input),
  markDelivered: (input) => markDeliveredAction(input),
  markUnread: (input) => markUnreadAction(input),
  mute: (input) => muteConversationAction(input),
  createConversation: (input) => createConversationAction(input),
  changeGroup: (request) => {
    if (request.action === "rename") return renameConversationAction({ conversationId: request.conversationId, name: request.name });
    if (request.action === "role") return setMemberRoleAction({ conversationId: request.conversationId, userId: request.userId, role: request.role });
    const input = { conversationId: request.conversationId, userId: request.userId };
    return request.action === "add" ? addMemberAction(input) : removeMemberAction(input);
  },
  changeMessage: ({ action, ...input }) =>
    action === "edit"
      ? editMessageAction(input)
      : action === "delete"
        ? deleteMessageAction(input)
        : action === "react"
          ? reactToMessageAction(input)
          : pinMessageAction(input),
};

async function fetchRealtimeToken(): Promise<string> {
  const response = await fetch("/api/realtime/token", { cache: "no-store", credentials: "same-origin" });
  // The session ended (signed out here or on another device): back to the sign-in page, as a full
  // page load on purpose, so nothing of the ended session (state, socket, outbox view) stays in memory.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  if (response.status === 401) window.location.assign("/sign-in");
  if (!response.ok) throw new Error(`token: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

// The engine (and socket.io-client with it) and its outbox's IndexedDB store: fetched after the
// first render, and waited for through a network that drops meanwhile (lib/client/chunks.ts).
const loadEngine = retrying(() => Promise.all([import("@/lib/client/engine"), import("@/lib/client/outbox-idb")]));

type EarlySend = { conversationId: string; text: string; extra: SendExtra; pending: Pending };

/** One ChatEngine for as long as the chat is open; React renders its state. */
export function useChat({
  me,
  socketUrl,
  initialConversations,
  initialActiveId,
  uploadsKeptMs,
}: {
  me: string;
  socketUrl: string;
  initialConversations: ConversationDto[] | null;
  initialActiveId: string | null;
  /** FILE_UNATTACHED_SECONDS, in ms. */
  uploadsKeptMs: number;
}) {
  // Built in the effect, so React's development double-mount closes one engine and builds another
  // instead of reusing a closed one. Until then the page shows the server-rendered state.
  const [engine, setEngine] = useState<ChatEngine | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [initialState] = useState(() => initialChatState({ me, conversations: initialConversations, activeId: initialActiveId }));
  // Messages written before the engine exists ("Connecting…" while it loads, seconds on a busy
  // machine): shown as pending at once, and handed to the engine, in order, when it is built.
  const early = useRef<EarlySend[]>([]);
  const [earlyPending, setEarlyPending] = useState<Pending[]>([]);
  const ready = useRef<ChatEngine | null>(null);

  useEffect(() => {
    // The engine (and socket.io-client with it) is loaded after the first render, not with the
    // page: the server-rendered list and thread show at once, and the page's first-load JavaScript
    // stays within its budget (scripts/bundle-size.mjs).
    let closed = false;
    let created: ChatEngine | null = null;
    const build = async () => {
      let modules;
      try {
        // Offline before its code was ever fetched, early messages wait as pending meanwhile.
        modules = await loadEngine();
      } catch (error) {
        // Its code stayed out of reach with the browser online: the chat's error screen offers
        // a reload (app/(chat)/chat/error.tsx).
        if (!closed) setFailed(error);
        return;
      }
      const [{ ChatEngine: Engine }, { BrowserOutboxStore }] = modules;
      if (closed) return;
      created = new Engine({
        me,
        api: serverActions,
        realtime: {
          url: socketUrl,
          getToken: fetchRealtimeToken,
          forceHttp: window.localStorage.getItem("parley.transport") === "http",
        },
        outboxStore: new BrowserOutboxStore(),
        initialConversations,
        initialActiveId,
        uploadsKeptMs,
      });
      // Started first, so its outbox reads back what a previous page left unsent before these go.
      void created.start();
      for (const { conversationId, text, extra } of early.current.splice(0)) void created.send(conversationId, text, extra);
      ready.current = created;
      setEarlyPending([]);
      setEngine(created);
    };
    void build();
    return () => {
      closed = true;
      ready.current = null;
      created?.close();
    };
    // The initial props seed the engine once; later server renders do not replace live state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, socketUrl]);

  const send = useCallback((conversationId: string, text: string, extra: SendExtra = {}) => {
    if (ready.current) return void ready.current.send(conversationId, text, extra);
    const createdAt = new Date().toISOString();
    const order = Date.now() + early.current.length;
    const pending: Pending = { clientMsgId: `early-${order}`, conversationId, text, status: "sending", error: null, retryable: true, createdAt, order, ...(extra.files?.length ? { files: extra.files } : {}) };
    early.current.push({ conversationId, text, extra, pending });
    setEarlyPending(early.current.map((item) => item.pending));
  }, []);

  const beforeEngine = useMemo(() => (earlyPending.length === 0 ? initialState : { ...initialState, pending: earlyPending }), [initialState, earlyPending]);
  const subscribe = useCallback((listener: () => void) => engine?.subscribe(listener) ?? (() => undefined), [engine]);
  const snapshot = useCallback(() => engine?.getState() ?? beforeEngine, [engine, beforeEngine]);
  const state = useSyncExternalStore(subscribe, snapshot, snapshot);
  if (failed) throw failed;
  return { state, connection: state.connection, engine, send };
}
