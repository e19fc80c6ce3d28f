// A conversation's name as its list row and header show it (a module of its own: the page needs
// it at first paint, and nothing else from views.ts).
import type { ConversationDto } from "../schemas/dto";

export function conversationTitle(conversation: ConversationDto, me: string): string {
  if (conversation.kind === "group") return conversation.name ?? "Group";
  if (conversation.kind === "room") return conversation.name ?? "Room";
  const other = conversation.members.find((m) => m.id !== me);
  return other?.name ?? "Just you";
}
