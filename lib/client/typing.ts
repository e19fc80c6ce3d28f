// Typing, both ways, without React: what this client tells (TypingSender) and what it shows of
// others (TypingIndicators). Framework-free, so unit tests drive it with a fake clock.
import type { TypingInput } from "../schemas/conversation";
import type { UploadActivity } from "../schemas/file";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS, type TypingEvent } from "../realtime/events";

type Clock = { now: () => number };

/**
 * Says "typing" at most once per TYPING_THROTTLE_MS per conversation while the composer is being
 * typed in (the server drops anything sooner), and "stopped" on send, blur, an emptied composer
 * or leaving the conversation, but only when a start may still be showing. While a message's
 * files upload it says what is being sent instead ("sending a photo"), until the upload ends.
 */
export class TypingSender {
  private readonly lastStart = new Map<string, number>();
  private readonly showing = new Set<string>();
  private readonly activities = new Map<string, UploadActivity>();

  constructor(
    private readonly emit: (input: TypingInput) => void,
    private readonly clock: Clock = Date,
  ) {}

  /** The composer of this conversation changed and now holds `text`. */
  input(conversationId: string, text: string): void {
    if (text.trim().length === 0) return this.stop(conversationId);
    this.start(conversationId);
  }

  /**
   * Files of a message here are uploading (refreshed while they do, like typing) or are done (null).
   * While they upload, typing and its stops change nothing: the upload is what others see.
   */
  sending(conversationId: string, activity: UploadActivity | null): void {
    if (activity === null) {
      if (this.activities.delete(conversationId)) this.stop(conversationId);
      return;
    }
    this.activities.set(conversationId, activity);
    this.start(conversationId);
  }

  private start(conversationId: string) {
    const now = this.clock.now();
    const last = this.lastStart.get(conversationId);
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return;
    this.lastStart.set(conversationId, now);
    this.showing.add(conversationId);
    const activity = this.activities.get(conversationId);
    this.emit({ conversationId, typing: true, ...(activity ? { activity } : {}) });
  }

  stop(conversationId: string): void {
    if (this.activities.has(conversationId) || !this.showing.delete(conversationId)) return;
    // Expired on the other side by now: nothing to take back.
    if (this.clock.now() - (this.lastStart.get(conversationId) ?? 0) >= TYPING_EXPIRES_MS) return;
    this.emit({ conversationId, typing: false });
  }

  /** The connection dropped: the server stopped whatever this client was showing, and a new one starts afresh. */
  reset(): void {
    this.lastStart.clear();
    this.activities.clear();
    this.showing.clear();
  }
}

/** What each typist is sending, when it is files rather than text. */
export type TypingActivities = Record<string, UploadActivity>;

type Typist = { timer: ReturnType<typeof setTimeout>; activity?: UploadActivity };

/**
 * Who is typing in each conversation, in the order they started, and what they are sending when it
 * is files. A start shows until a stop, a message from that person, this client losing its
 * connection, or TYPING_EXPIRES_MS without a refresh, whichever comes first: nothing lost on the
 * way can leave one stuck.
 */
export class TypingIndicators {
  private readonly typists = new Map<string, Map<string, Typist>>();

  constructor(
    private readonly changed: (conversationId: string, userIds: string[], activities: TypingActivities) => void,
    private readonly expiresMs = TYPING_EXPIRES_MS,
  ) {}

  heard({ conversationId, userId, typing, activity }: TypingEvent): void {
    if (!typing) return this.stop(conversationId, userId);
    const here = this.typists.get(conversationId) ?? new Map<string, Typist>();
    const known = here.get(userId);
    if (known !== undefined) clearTimeout(known.timer);
    here.set(userId, { timer: setTimeout(() => this.stop(conversationId, userId), this.expiresMs), ...(activity ? { activity } : {}) });
    this.typists.set(conversationId, here);
    if (known === undefined || known.activity !== activity) this.report(conversationId, here);
  }

  stop(conversationId: string, userId: string): void {
    const here = this.typists.get(conversationId);
    const typist = here?.get(userId);
    if (!here || typist === undefined) return;
    clearTimeout(typist.timer);
    here.delete(userId);
    if (here.size === 0) this.typists.delete(conversationId);
    this.report(conversationId, here);
  }

  clear(): void {
    for (const [conversationId, here] of this.typists) {
      for (const typist of here.values()) clearTimeout(typist.timer);
      this.changed(conversationId, [], {});
    }
    this.typists.clear();
  }

  private report(conversationId: string, here: Map<string, Typist>) {
    const activities: TypingActivities = {};
    for (const [userId, { activity }] of here) if (activity) activities[userId] = activity;
    this.changed(conversationId, [...here.keys()], activities);
  }
}

export { typingLabel } from "./typing-label";
