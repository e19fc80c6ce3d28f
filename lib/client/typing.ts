// Typing, both ways, without React: what this client tells (TypingSender) and what it shows of
// others (TypingIndicators). Framework-free, so unit tests drive it with a fake clock.
import type { TypingInput } from "../schemas/conversation";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS, type TypingEvent } from "../realtime/events";

type Clock = { now: () => number };

/**
 * Says "typing" at most once per TYPING_THROTTLE_MS per conversation while the composer is being
 * typed in (the server drops anything sooner), and "stopped" on send, blur, an emptied composer
 * or leaving the conversation, but only when a start may still be showing.
 */
export class TypingSender {
  private readonly lastStart = new Map<string, number>();
  private readonly showing = new Set<string>();

  constructor(
    private readonly emit: (input: TypingInput) => void,
    private readonly clock: Clock = Date,
  ) {}

  /** The composer of this conversation changed and now holds `text`. */
  input(conversationId: string, text: string): void {
    if (text.trim().length === 0) return this.stop(conversationId);
    const now = this.clock.now();
    const last = this.lastStart.get(conversationId);
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return;
    this.lastStart.set(conversationId, now);
    this.showing.add(conversationId);
    this.emit({ conversationId, typing: true });
  }

  stop(conversationId: string): void {
    if (!this.showing.delete(conversationId)) return;
    // Expired on the other side by now: nothing to take back.
    if (this.clock.now() - (this.lastStart.get(conversationId) ?? 0) >= TYPING_EXPIRES_MS) return;
    this.emit({ conversationId, typing: false });
  }

  /** The connection dropped: the server stopped whatever this client was showing, and a new one starts afresh. */
  reset(): void {
    this.lastStart.clear();
    this.showing.clear();
  }
}

/**
 * Who is typing in each conversation, in the order they started. A start shows until a stop, a
 * message from that person, this client losing its connection, or TYPING_EXPIRES_MS without a
 * refresh, whichever comes first: nothing lost on the way can leave one stuck.
 */
export class TypingIndicators {
  private readonly typists = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();

  constructor(
    private readonly changed: (conversationId: string, userIds: string[]) => void,
    private readonly expiresMs = TYPING_EXPIRES_MS,
  ) {}

  heard({ conversationId, userId, typing }: TypingEvent): void {
    if (!typing) return this.stop(conversationId, userId);
    const here = this.typists.get(conversationId) ?? new Map<string, ReturnType<typeof setTimeout>>();
    const known = here.get(userId);
    if (known !== undefined) clearTimeout(known);
    here.set(userId, setTimeout(() => this.stop(conversationId, userId), this.expiresMs));
    this.typists.set(conversationId, here);
    if (known === undefined) this.changed(conversationId, [...here.keys()]);
  }

  stop(conversationId: string, userId: string): void {
    const here = this.typists.get(conversationId);
    const timer = here?.get(userId);
    if (!here || timer === undefined) return;
    clearTimeout(timer);
    here.delete(userId);
    if (here.size === 0) this.typists.delete(conversationId);
    this.changed(conversationId, [...here.keys()]);
  }

  clear(): void {
    for (const [conversationId, here] of this.typists) {
      for (const timer of here.values()) clearTimeout(timer);
      this.changed(conversationId, []);
    }
    this.typists.clear();
  }
}

export { typingLabel } from "./typing-label";
