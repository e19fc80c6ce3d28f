"use client";

import { useEffect } from "react";
import type { ConversationDto } from "@/lib/schemas/dto";

/**
 * What the tab title counts: unread messages, and one for each conversation marked as unread with
 * none. Muted conversations are left out, as their badge in the list is the only sign they ask for.
 */
export function unreadTotal(conversations: ConversationDto[]): number {
  return conversations.reduce((sum, c) => sum + (c.muted ? 0 : c.unreadCount > 0 ? c.unreadCount : c.markedUnread ? 1 : 0), 0);
}

/** "(3) Parley": the same in every tab, since every tab's counts converge on the same receipts. */
export function useTabTitle(conversations: ConversationDto[]) {
  const total = unreadTotal(conversations);
  useEffect(() => {
    document.title = total > 0 ? `(${total > 99 ? "99+" : total}) Parley` : "Parley";
  }, [total]);
}
