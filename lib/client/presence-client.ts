// The socket's presence and typing events, turned into store actions; and this client's own
// typing, sent volatile (never queued for a later connection: it would be stale by then).
import type { MessageDto, PresenceDto } from "../schemas/dto";
import type { UploadActivity } from "../schemas/file";
import { TYPING_THROTTLE_MS } from "../realtime/events";
import { ACK_TIMEOUT_MS, type ClientSocket } from "./realtime-client";
import type { PresenceAction } from "./presence-store";
import { TypingIndicators, TypingSender } from "./typing";

export class PresenceClient {
  private readonly sender: TypingSender;
  private readonly indicators: TypingIndicators;
  private readonly refresh = new Map<string, ReturnType<typeof setInterval>>();

  constructor(
    private readonly options: { me: string; socket: ClientSocket | null; dispatch: (action: PresenceAction) => void },
  ) {
    const { socket, dispatch } = options;
    this.sender = new TypingSender((input) => {
      // The server acks every event; a typing signal needs no answer, and the timeout frees the callback.
      if (socket?.connected) socket.timeout(ACK_TIMEOUT_MS).volatile.emit("typing", input, () => undefined);
    });
    this.indicators = new TypingIndicators((conversationId, userIds, activities) => dispatch({ type: "typing/set", conversationId, userIds, activities }));
  }

  attach(): void {
    const { socket, dispatch, me } = this.options;
    socket?.on("presence", (presence) => dispatch({ type: "presence/merge", users: [presence] }));
    socket?.on("presence:snapshot", ({ users, online = [] }) => {
      const byId = online.map((userId): PresenceDto => ({ userId, online: true, lastSeenAt: null }));
      dispatch({ type: "presence/merge", users: [...users, ...byId].filter((u) => u.userId !== me) });
    });
    socket?.on("typing", (event) => {
      if (event.userId !== me) this.indicators.heard(event);
    });
    socket?.on("disconnect", () => {
      this.sender.reset();
      this.indicators.clear();
      dispatch({ type: "presence/clear" });
    });
  }

  /** The composer of this conversation now holds `text`. */
  typing(conversationId: string, text: string): void {
    this.sender.input(conversationId, text);
  }

  /**
   * A message's files are uploading here (what they are), or no longer (null). Said again every
   * TYPING_THROTTLE_MS while they upload, so the others' line does not expire in a long upload.
   */
  sending(conversationId: string, activity: UploadActivity | null): void {
    clearInterval(this.refresh.get(conversationId));
    this.refresh.delete(conversationId);
    this.sender.sending(conversationId, activity);
    if (activity === null) return;
    this.refresh.set(conversationId, setInterval(() => this.sender.sending(conversationId, activity), TYPING_THROTTLE_MS));
  }

  /** Sent, blurred, or left. */
  stopTyping(conversationId: string): void {
    this.sender.stop(conversationId);
  }

  /** A message from someone ends their typing there. */
  sawMessage(message: MessageDto): void {
    this.indicators.stop(message.conversationId, message.senderId);
  }

  close(): void {
    for (const timer of this.refresh.values()) clearInterval(timer);
    this.refresh.clear();
    this.indicators.clear();
  }
}
