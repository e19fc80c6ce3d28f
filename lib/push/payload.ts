// What a push says: built on the server, so the service worker (public/sw.js) only shows it.
// One notification per conversation: its tag is the conversation, and a newer push replaces the
// older one with the member's unread count ("3 new messages"). Bounded well under the ~4 KB a
// push service accepts: a title and a one-line preview of at most a couple hundred characters.
import type { CallMedia } from "../schemas/call";
import type { MessageDto } from "../schemas/dto";
import { messagePreview } from "../schemas/previews";
import type { PushPayload } from "../schemas/push";

const TITLE_MAX = 80;
const BODY_MAX = 200;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const chatUrl = (conversationId: string) => `/chat?c=${conversationId}`;

type Conversation = { id: string; kind: "direct" | "group" | "room"; name: string | null };

/** A new message, for one member: `unread` is their unread count in the conversation with it. */
export function messagePayload({ message, conversation, unread, mentioned }: { message: MessageDto; conversation: Conversation; unread: number; mentioned: boolean }): PushPayload {
  const direct = conversation.kind === "direct";
  const place = conversation.name ?? "a group";
  const title = direct ? message.senderName : mentioned ? `${message.senderName} mentioned you in ${place}` : place;
  const preview = messagePreview(message);
  const line = direct || mentioned ? preview : `${message.senderName}: ${preview}`;
  const count = Math.max(1, unread);
  // Several unread: the count first, then the newest of them.
  const body = count > 1 ? `${count} new messages\n${line}` : line;
  return {
    kind: mentioned ? "mention" : "message",
    conversationId: message.conversationId,
    title: clip(title, TITLE_MAX),
    body: clip(body, BODY_MAX),
    count,
    tag: message.conversationId,
    url: chatUrl(message.conversationId),
  };
}

/** A call ringing the callee: a notification of its own, apart from the conversation's messages. */
export function callPayload({ conversationId, callerName, media }: { conversationId: string; callerName: string; media: CallMedia }): PushPayload {
  return {
    kind: "call",
    conversationId,
    title: clip(callerName, TITLE_MAX),
    body: media === "video" ? "Incoming video call" : "Incoming voice call",
    count: 1,
    tag: `call:${conversationId}`,
    url: chatUrl(conversationId),
  };
}
