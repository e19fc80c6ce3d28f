"use client";

import { useEffect, useState } from "react";
import type { PresenceState } from "@/lib/client/presence-store";
import { typingLabel } from "@/lib/client/typing-label";
import type { ConversationDto, PresenceDto } from "@/lib/schemas/dto";
import { lastSeenLabel } from "./format";

/** The other person of a direct conversation; null for a group. */
export function directPeer(conversation: ConversationDto, me: string): string | null {
  return conversation.kind === "direct" ? (conversation.members.find((m) => m.id !== me)?.id ?? null) : null;
}

/** "Ana is typing…" (or "sending a photo…") for this conversation, with the members' names; null when nobody is. */
export function typingIn(conversation: ConversationDto, presence: PresenceState): string | null {
  const typists = presence.typing[conversation.id] ?? [];
  const names = typists.map((id) => conversation.members.find((m) => m.id === id)?.name ?? "Someone");
  const sending = presence.sending[conversation.id];
  return typingLabel(names, sending ? typists.map((id) => sending[id]) : []);
}

/** A green dot while the person is online on any device; nothing otherwise. */
export function PresenceDot({ presence }: { presence: PresenceDto | undefined }) {
  if (!presence?.online) return null;
  return <span role="img" aria-label="online" data-testid="presence-dot" className="inline-block h-2.5 w-2.5 shrink-0 rounded-full bg-emerald-500" />;
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Under a direct conversation's title: "online", or "last seen 5 minutes ago" (kept current). */
export function PresenceStatus({ presence }: { presence: PresenceDto | undefined }) {
  const now = useNow(30_000);
  const text = presence?.online ? "online" : presence?.lastSeenAt ? lastSeenLabel(presence.lastSeenAt, now) : null;
  if (text === null) return null;
  return (
    <p className="flex items-center gap-1.5 text-xs text-muted" data-testid="presence-status">
      <PresenceDot presence={presence} />
      {text}
    </p>
  );
}

/** Above the composer; always in the page, so that screen readers hear it change. */
export function TypingIndicator({ label }: { label: string | null }) {
  return (
    <p aria-live="polite" data-testid="typing-indicator" className="h-5 truncate bg-sunken px-4 text-xs italic text-muted">
      {label ?? ""}
    </p>
  );
}
