"use client";

import { useEffect, useRef, useState } from "react";
import { retrying } from "@/lib/client/chunks";
import type { ChatEngine } from "@/lib/client/engine";
import type { Notifier, Toast } from "@/lib/client/notifier";

const TOAST_MS = 6_000;
const loadNotifier = retrying(() => import("@/lib/client/notifier"));

/** Toasts and browser notifications for messages heard live (lib/client/notifier.ts decides which). */
export function useNotifications({ engine, me, open }: { engine: ChatEngine | null; me: string; open: (conversationId: string) => void }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const openRef = useRef(open);
  useEffect(() => {
    openRef.current = open;
  });

  useEffect(() => {
    if (!engine) return;
    const dismiss = (id: string) => setToasts((list) => list.filter((t) => t.id !== id));
    // Fetched with the engine, after the page shows: nothing is heard before the engine exists.
    let stop: (() => void) | null = null;
    let closed = false;
    void loadNotifier().then(({ Notifier }) => {
      if (closed) return;
      const notifier = new Notifier({
        me,
        conversation: (id) => engine.getState().conversations.find((c) => c.id === id),
        activeId: () => engine.getState().activeId,
        toast: (toast) => {
          setToasts((list) => [...list.slice(-2), toast]);
          setTimeout(() => dismiss(toast.id), TOAST_MS);
        },
        open: (conversationId) => openRef.current(conversationId),
      });
      notifier.start();
      const socket = engine.client.socket;
      const heard = ({ message }: { message: Parameters<Notifier["heard"]>[0] }) => notifier.heard(message);
      socket?.on("message:created", heard);
      stop = () => {
        socket?.off("message:created", heard);
        notifier.close();
      };
      // Given up on (its chunk out of reach while online): toasts stay off on this page.
    }, () => undefined);
    return () => {
      closed = true;
      stop?.();
    };
  }, [engine, me]);

  // A click on a push notification (public/sw.js) asks an open chat to show its conversation.
  useEffect(() => {
    const container = typeof navigator !== "undefined" ? navigator.serviceWorker : undefined;
    if (!container) return;
    const opened = ({ data }: MessageEvent<{ type?: string; conversationId?: unknown }>) => {
      if (data?.type === "parley:open" && typeof data.conversationId === "string") openRef.current(data.conversationId);
    };
    container.addEventListener("message", opened);
    return () => container.removeEventListener("message", opened);
  }, []);

  return { toasts, dismiss: (id: string) => setToasts((list) => list.filter((t) => t.id !== id)) };
}

/**
 * New messages elsewhere, as a strip in the page's flow under the open conversation's header:
 * it pushes the thread down a little instead of covering any control.
 */
export function Toasts({ toasts, onOpen, onDismiss }: { toasts: Toast[]; onOpen: (conversationId: string) => void; onDismiss: (id: string) => void }) {
  return (
    <div aria-live="polite" aria-label="Notifications" role="region" className="flex flex-col gap-1.5 empty:hidden px-3 pt-2 sm:px-6">
      {toasts.map((toast) => (
        <div key={toast.id} className="mx-auto flex w-full max-w-3xl items-start gap-2 rounded-xl bg-slate-900 px-3 py-2 text-sm text-white shadow-lg ring-1 ring-white/10" data-testid="toast">
          <button
            type="button"
            className="min-w-0 flex-1 text-left"
            onClick={() => {
              onDismiss(toast.id);
              onOpen(toast.conversationId);
            }}
          >
            <span className="block font-semibold">{toast.title}</span>
            <span className="block truncate text-slate-200">{toast.body}</span>
          </button>
          <button type="button" aria-label="Dismiss" className="rounded-md px-1 text-slate-300 hover:text-white" onClick={() => onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
