import type { PresenceState } from "@/lib/client/presence-store";
import type { ConversationDto } from "@/lib/schemas/dto";
import { shortTime } from "./format";
import { directPeer, PresenceDot, typingIn } from "./presence";
import { conversationTitle } from "@/lib/client/views";

export function ConversationList({
  conversations,
  me,
  activeId,
  presence,
  onOpen,
}: {
  conversations: ConversationDto[];
  me: string;
  activeId: string | null;
  presence: PresenceState;
  onOpen: (id: string) => void;
}) {
  return (
    <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto">
      {conversations.length === 0 ? (
        <p className="p-4 text-sm text-slate-500">No conversations yet. Search for someone to start one.</p>
      ) : (
        <ul>
          {conversations.map((conversation) => {
            const title = conversationTitle(conversation, me);
            const last = conversation.lastMessage;
            const who =
              !last || last.kind === "system" ? null : last.senderId === me ? "You" : conversation.kind === "group" ? last.senderName : null;
            const unread = conversation.unreadCount;
            const peer = directPeer(conversation, me);
            const typing = typingIn(conversation, presence);
            return (
              <li key={conversation.id}>
                <a
                  href={`/chat?c=${conversation.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(conversation.id);
                  }}
                  aria-current={conversation.id === activeId ? "page" : undefined}
                  data-conversation-id={conversation.id}
                  className={`flex flex-col gap-0.5 border-b border-slate-100 px-4 py-3 hover:bg-slate-100 ${
                    conversation.id === activeId ? "bg-indigo-50" : ""
                  }`}
                >
                  <span className="flex items-center justify-between gap-2">
                    <span className="flex min-w-0 items-center gap-1.5">
                      <span className={`truncate ${unread > 0 || conversation.markedUnread ? "font-bold" : "font-medium"}`}>{title}</span>
                      {peer ? <PresenceDot presence={presence.users[peer]} /> : null}
                      {conversation.muted ? <span role="img" aria-label="muted" className="text-xs">🔕</span> : null}
                    </span>
                    {last ? <time className="shrink-0 text-xs text-slate-500" dateTime={last.createdAt}>{shortTime(last.createdAt)}</time> : null}
                  </span>
                  <span className="flex items-center justify-between gap-2">
                    {typing ? (
                      <span className="truncate text-sm italic text-emerald-700" data-testid="typing-preview">{typing}</span>
                    ) : (
                      <span className="truncate text-sm text-slate-600">
                        {last ? `${who ? `${who}: ` : ""}${last.preview}` : "No messages yet"}
                      </span>
                    )}
                    {unread === 0 && conversation.markedUnread ? (
                      <span className="h-2.5 w-2.5 shrink-0 rounded-full bg-indigo-600" role="img" aria-label="Marked as unread" data-testid="marked-unread" />
                    ) : null}
                    {conversation.unreadMentions > 0 ? (
                      <span
                        className="shrink-0 rounded-full bg-amber-500 px-2 text-xs font-semibold text-white"
                        aria-label={`${conversation.unreadMentions} unread mentions`}
                        data-testid="mention-count"
                      >
                        @{conversation.unreadMentions}
                      </span>
                    ) : null}
                    {unread > 0 ? (
                      <span
                        className="shrink-0 rounded-full bg-indigo-600 px-2 text-xs font-semibold text-white"
                        aria-label={`${unread} unread`}
                        data-testid="unread-count"
                      >
                        {unread > 99 ? "99+" : unread}
                      </span>
                    ) : null}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
