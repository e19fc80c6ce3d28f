"use client";

import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react";
import {
  createConversationAction,
  listConversationsAction,
  loadMessagesAction,
  markReadAction,
  sendMessageAction,
  syncAction,
} from "@/app/(chat)/actions";
import type { Ack } from "@/lib/realtime/events";
import { newClientMsgId, RealtimeClient, unreachable, type ConnectionState } from "@/lib/realtime/client";
import type { ConversationDto, MessageDto, SyncResult } from "@/lib/schemas/dto";
import { chatReducer, type ChatState, type Pending } from "./store";

const POLL_MS = 3_000;
const SYNC_ROUNDS_MAX = 10;

/** Server actions reject (rather than answer) when the network is down; both end up as an Ack. */
async function viaHttp<T>(call: () => Promise<Ack<T>>): Promise<Ack<T>> {
  try {
    return await call();
  } catch {
    return unreachable();
  }
}

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
  const [state, dispatch] = useReducer(chatReducer, undefined, (): ChatState => ({
    me,
    activeId: initialActiveId,
    conversations: initialConversations,
    threads: {},
    pending: [],
  }));
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  // Callbacks read the latest state through this ref, so they stay stable across renders.
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const clientRef = useRef<RealtimeClient | null>(null);

  const refreshConversations = useCallback(async () => {
    const result = await viaHttp(() => listConversationsAction());
    if (result.ok) dispatch({ type: "conversations/set", conversations: result.data });
  }, []);

  /** Brings one loaded thread up to date: every change after its version, in rounds. */
  const syncThread = useCallback(async (conversationId: string) => {
    const thread = stateRef.current.threads[conversationId];
    let since = thread?.loaded ? thread.version : undefined;
    for (let round = 0; round < SYNC_ROUNDS_MAX && since !== undefined; round += 1) {
      const input = { conversationId, sinceVersion: since };
      const client = clientRef.current;
      const result: Ack<SyncResult> = client
        ? await client.request("sync", input, () => syncAction(input))
        : await viaHttp(() => syncAction(input));
      if (!result.ok) return;
      dispatch({ type: "messages/apply", messages: result.data.messages, countUnread: true });
      dispatch({ type: "thread/version", conversationId, version: result.data.version });
      if (!result.data.hasMore) return;
      since = result.data.version;
    }
  }, []);

  const resyncAll = useCallback(async () => {
    await refreshConversations();
    const loaded = Object.entries(stateRef.current.threads).filter(([, thread]) => thread.loaded);
    await Promise.all(loaded.map(([id]) => syncThread(id)));
  }, [refreshConversations, syncThread]);

  // The socket lives as long as the chat is open; listeners detach in the cleanup.
  useEffect(() => {
    const forceHttp = window.localStorage.getItem("parley.transport") === "http";
    const client = new RealtimeClient({
      url: socketUrl,
      tokenUrl: "/api/realtime/token",
      forceHttp,
      onState: setConnection,
      onConnect: () => void resyncAll(),
    });
    clientRef.current = client;
    const socket = client.socket;
    const onMessage = ({ message }: { message: MessageDto }) => {
      const thread = stateRef.current.threads[message.conversationId];
      dispatch({ type: "messages/apply", messages: [message], countUnread: true });
      if (!thread?.loaded) return;
      // Versions of a conversation's changes are consecutive: a jump means a missed broadcast.
      if (message.version > thread.version + 1) void syncThread(message.conversationId);
      else dispatch({ type: "thread/version", conversationId: message.conversationId, version: message.version });
    };
    const onConversation = ({ conversation }: { conversation: ConversationDto }) =>
      dispatch({ type: "conversation/upsert", conversation });
    const onReceipt = ({ conversationId, userId, readSeq }: { conversationId: string; userId: string; readSeq: number }) => {
      if (userId === me) dispatch({ type: "read", conversationId, seq: readSeq });
    };
    socket?.on("message:created", onMessage);
    socket?.on("conversation:created", onConversation);
    socket?.on("receipt", onReceipt);
    return () => {
      clientRef.current = null;
      client.close();
    };
  }, [socketUrl, me, resyncAll, syncThread]);

  // Without a socket, keep converging over HTTP.
  useEffect(() => {
    if (connection !== "http") return;
    const timer = setInterval(() => void resyncAll(), POLL_MS);
    return () => clearInterval(timer);
  }, [connection, resyncAll]);

  const deliver = useCallback(async (pending: Pending) => {
    dispatch({ type: "pending/status", clientMsgId: pending.clientMsgId, status: "sending", error: null });
    const input = { conversationId: pending.conversationId, clientMsgId: pending.clientMsgId, text: pending.text };
    const client = clientRef.current;
    const result = client
      ? await client.request("message:send", input, () => sendMessageAction(input))
      : await viaHttp(() => sendMessageAction(input));
    if (result.ok) dispatch({ type: "messages/apply", messages: [result.data.message], countUnread: false });
    else dispatch({ type: "pending/status", clientMsgId: pending.clientMsgId, status: "failed", error: result.error.message });
  }, []);

  const send = useCallback(
    (conversationId: string, text: string) => {
      const pending: Pending = {
        clientMsgId: newClientMsgId(),
        conversationId,
        text,
        status: "sending",
        error: null,
        createdAt: new Date().toISOString(),
      };
      dispatch({ type: "pending/add", pending });
      void deliver(pending);
    },
    [deliver],
  );

  const retry = useCallback(
    (clientMsgId: string) => {
      const pending = stateRef.current.pending.find((p) => p.clientMsgId === clientMsgId);
      if (pending) void deliver(pending);
    },
    [deliver],
  );

  const openThread = useCallback(async (conversationId: string) => {
    dispatch({ type: "active/set", id: conversationId });
    if (stateRef.current.threads[conversationId]?.loaded) return syncThread(conversationId);
    const result = await viaHttp(() => loadMessagesAction({ conversationId }));
    if (result.ok) dispatch({ type: "thread/loaded", conversationId, page: result.data });
  }, [syncThread]);

  const loadOlder = useCallback(async (conversationId: string) => {
    const oldest = stateRef.current.threads[conversationId]?.messages[0];
    if (!oldest) return;
    const result = await viaHttp(() => loadMessagesAction({ conversationId, before: oldest.seq }));
    if (result.ok) dispatch({ type: "thread/older", conversationId, page: result.data });
  }, []);

  const markRead = useCallback(async (conversationId: string, seq: number) => {
    dispatch({ type: "read", conversationId, seq });
    const input = { conversationId, seq };
    const client = clientRef.current;
    if (client) await client.request("conversation:read", input, () => markReadAction(input));
    else await viaHttp(() => markReadAction(input));
  }, []);

  const startConversation = useCallback(async (input: { kind: "direct"; userId: string } | { kind: "group"; name: string; memberIds: string[] }) => {
    const result = await viaHttp(() => createConversationAction(input));
    if (result.ok) dispatch({ type: "conversation/upsert", conversation: result.data.conversation });
    return result;
  }, []);

  return { state, connection, send, retry, openThread, loadOlder, markRead, startConversation, dispatch };
}
