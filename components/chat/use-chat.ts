"use client";

import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import {
  createConversationAction,
  listConversationsAction,
  loadMessagesAction,
  markDeliveredAction,
  markReadAction,
  markUnreadAction,
  muteConversationAction,
  sendMessageAction,
  syncAction,
} from "@/app/(chat)/actions";
import { addMemberAction, removeMemberAction, renameConversationAction, setMemberRoleAction } from "@/app/(chat)/group-actions";
import { deleteMessageAction, editMessageAction, pinMessageAction, reactToMessageAction } from "@/app/(chat)/message-actions";
import type { ChatApi, ChatEngine } from "@/lib/client/engine";
import { initialChatState } from "@/lib/client/initial-state";
import type { ConversationDto } from "@/lib/schemas/dto";

// The browser's HTTP half is the server actions: same payloads, same clientMsgIds.
const serverActions: ChatApi = {
  send: (input) => sendMessageAction(input),
  sync: (input) => syncAction(input),
  loadMessages: (input) => loadMessagesAction(input),
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

/** One ChatEngine for as long as the chat is open; React renders its state. */
export function useChat({
  me,
  socketUrl,
  initialConversations,
  initialActiveId,
}: {
  me: string;
  socketUrl: string;
  initialConversations: ConversationDto[];
  initialActiveId: string | null;
}) {
  // Built in the effect, so React's development double-mount closes one engine and builds another
  // instead of reusing a closed one. Until then the page shows the server-rendered state.
  const [engine, setEngine] = useState<ChatEngine | null>(null);
  const [initialState] = useState(() => initialChatState({ me, conversations: initialConversations, activeId: initialActiveId }));

  useEffect(() => {
    // The engine (and socket.io-client with it) is loaded after the first render, not with the
    // page: the server-rendered list and thread show at once, and the page's first-load JavaScript
    // stays within its budget (scripts/bundle-size.mjs).
    let closed = false;
    let created: ChatEngine | null = null;
    void Promise.all([import("@/lib/client/engine"), import("@/lib/client/outbox-idb")]).then(([{ ChatEngine: Engine }, { BrowserOutboxStore }]) => {
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
      });
      setEngine(created);
      void created.start();
    });
    return () => {
      closed = true;
      created?.close();
    };
    // The initial props seed the engine once; later server renders do not replace live state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, socketUrl]);

  const subscribe = useCallback((listener: () => void) => engine?.subscribe(listener) ?? (() => undefined), [engine]);
  const snapshot = useCallback(() => engine?.getState() ?? initialState, [engine, initialState]);
  const state = useSyncExternalStore(subscribe, snapshot, snapshot);
  return { state, connection: state.connection, engine };
}
