"use client";

import { useRef, useState, type RefObject } from "react";
import type { MessageDto } from "@/lib/schemas/dto";

/**
 * Which message of the open conversation is being edited in place. An edit begun with ↑ in the
 * message box (`editLast`) ends back there; one begun from a message's menu leaves focus where it is.
 */
export function useEditing({ composer, messages, me, editWindowMs }: { composer: RefObject<HTMLElement | null>; messages: MessageDto[] | undefined; me: string; editWindowMs: number }) {
  const [editingId, setEditingId] = useState<string | null>(null);
  const fromComposer = useRef(false);

  const onEditing = (id: string | null) => {
    setEditingId(id);
    if (id === null) {
      if (fromComposer.current) requestAnimationFrame(() => composer.current?.focus());
      fromComposer.current = false;
      return;
    }
    requestAnimationFrame(() => document.getElementById(`message-${id}`)?.scrollIntoView({ block: "nearest" }));
  };

  /** My newest message still within the edit window, as Slack and Telegram do; false when there is none. */
  const editLast = () => {
    const last = messages?.findLast((m) => m.senderId === me && m.kind === "text" && m.deletedAt === null && !m.hidden);
    if (!last || Date.now() - new Date(last.createdAt).getTime() > editWindowMs) return false;
    fromComposer.current = true;
    setEditingId(last.id);
    return true;
  };

  return { editingId, onEditing, editLast, stopEditing: () => setEditingId(null) };
}
