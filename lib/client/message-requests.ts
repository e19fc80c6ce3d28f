// Changes to stored messages from the client: edit, delete, react, pin. Each goes over the socket
// when it is up and through the HTTP half otherwise; every one is safe to repeat (a reaction
// names which way it goes), so the fallback after a lost ack cannot apply it twice.
import type { MessageDto } from "../schemas/dto";
import type { ChatApi, MessageRequest } from "./api";
import type { RealtimeClient } from "./realtime-client";
import type { Ack } from "../realtime/events";

type Result = Ack<{ message: MessageDto }>;

/** The socket event and payload of a request: `message:<action>` with the rest of it. */
export function requestMessageChange(client: RealtimeClient, api: ChatApi, request: MessageRequest): Promise<Result> {
  const fallback = () => api.changeMessage(request);
  switch (request.action) {
    case "edit":
      return client.request("message:edit", { messageId: request.messageId, text: request.text }, fallback);
    case "delete":
      return client.request("message:delete", { messageId: request.messageId, for: request.for }, fallback);
    case "react":
      return client.request("message:react", { messageId: request.messageId, emoji: request.emoji, add: request.add }, fallback);
    case "pin":
      return client.request("message:pin", { messageId: request.messageId, pinned: request.pinned }, fallback);
  }
}

export { loadThrough } from "./load-through";
