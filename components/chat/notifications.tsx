"use client";

import { useEffect, useRef, useState } from "react";
import type { ChatEngine } from "@/lib/client/engine";
import { Notifier, type Toast } from "@/lib/client/notifier";

const TOAST_MS = 6_000;

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
    return () => {
      socket?.off("message:created", heard);
      notifier.close();
    };
  }, [engine, me]);

  return { toasts, dismiss: (id: string) => setToasts((list) => list.filter((t) => t.id !== id)) };
}

export function Toasts({ toasts, onOpen, onDismiss }: { toasts: Toast[]; onOpen: (conversationId: string) => void; onDismiss: (id: string) => void }) {
  return (
    <div aria-live="polite" aria-label="Notifications" role="region" className="pointer-events-none fixed right-4 top-4 z-20 flex w-80 flex-col gap-2">
      {toasts.map((toast) => (
        <div key={toast.id} className="pointer-events-auto flex items-start gap-2 rounded-lg bg-slate-900 p-3 text-sm text-white shadow-lg" data-testid="toast">
          <button
            type="button"
            className="min-w-0 flex-1 text-left"
            onClick={() => {
              onDismiss(toast.id);
              onOpen(toast.conversationId);
            }}
          >
            <span className="block font-semibold">{toast.title}</span>
            <span className="block truncate">{toast.body}</span>
          </button>
          <button type="button" aria-label="Dismiss" className="text-slate-300" onClick={() => onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** Asks for the browser's permission on a click (browsers ignore requests made without a user gesture). */
export function EnableNotifications() {
  const [permission, setPermission] = useState<string>("unsupported");
  useEffect(() => {
    // Known only in the browser, after the server-rendered first paint.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);
  if (permission !== "default") return null;
  return (
    <button type="button" className="mt-1 text-xs text-indigo-700 underline" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Enable notifications
    </button>
  );
}
