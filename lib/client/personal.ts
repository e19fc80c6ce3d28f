// A member's own flags on a conversation: "Mark as unread" and mute. Each is shown at once, saved
// over HTTP (a rare, deliberate click), and heard by the member's other tabs from the socket server.
import type { ChatApi } from "./api";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "../realtime/events";
import type { ChatAction } from "./store";
import type { Socket } from "socket.io-client";

type Deps = {
  dispatch: (action: ChatAction) => void;
  http: <T>(call: () => Promise<Ack<T>>) => Promise<Ack<T>>;
  api: () => ChatApi;
};

export class PersonalFlags {
  constructor(private readonly deps: Deps) {}

  listen(socket: Socket<ServerToClientEvents, ClientToServerEvents> | null | undefined) {
    socket?.on("conversation:marked", (mark) => this.deps.dispatch({ type: "conversation/marked", ...mark }));
    socket?.on("conversation:muted", (mute) => this.deps.dispatch({ type: "conversation/muted", ...mute }));
  }

  markUnread(conversationId: string, unread: boolean) {
    this.deps.dispatch({ type: "conversation/marked", conversationId, markedUnread: unread });
    return this.deps.http(() => this.deps.api().markUnread({ conversationId, unread }));
  }

  mute(conversationId: string, muted: boolean) {
    this.deps.dispatch({ type: "conversation/muted", conversationId, muted });
    return this.deps.http(() => this.deps.api().mute({ conversationId, muted }));
  }
}
