import type { PresenceState } from "@/lib/client/presence-store";
import type { ConversationDto } from "@/lib/schemas/dto";
import { Avatar, GroupAvatar } from "./avatar";
import { shortTime } from "./format";
import { directPeer, typingIn } from "./presence";
import { conversationTitle } from "@/lib/client/conversation-title";

export function ConversationList({
  conversations,
  me,
  activeId,
  presence,
  onOpen,
  listed = true,
}: {
  conversations: ConversationDto[];
  me: string;
  activeId: string | null;
  presence: PresenceState;
  onOpen: (id: string) => void;
  /** False while the list is not known yet (the server could not read it): a skeleton shows. */
  listed?: boolean;
}) {
  return (
    <nav aria-label="Conversations" aria-busy={!listed} className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
      {!listed ? (
        <div aria-hidden data-testid="list-skeleton" className="flex animate-pulse flex-col gap-1 pt-1">
          {[0, 1, 2, 3, 4].map((row) => (
            <div key={row} className="flex items-center gap-3 px-2.5 py-2">
              <div className="h-10 w-10 rounded-full bg-line" />
              <div className="flex flex-1 flex-col gap-2">
                <div className={`h-3 rounded bg-line ${row % 2 ? "w-1/2" : "w-2/3"}`} />
                <div className="h-3 w-5/6 rounded bg-line" />
              </div>
            </div>
          ))}
          <span className="sr-only">Loading conversations…</span>
        </div>
      ) : conversations.length === 0 ? (
        <p className="p-4 text-sm text-muted">No conversations yet. Search for someone above to start one.</p>
      ) : (
        <ul className="flex flex-col gap-0.5">
          {conversations.map((conversation) => {
            const title = conversationTitle(conversation, me);
            const last = conversation.lastMessage;
            const who =
              !last || last.kind === "system" || last.kind === "call" ? null : last.senderId === me ? "You" : conversation.kind !== "direct" ? last.senderName : null;
            const unread = conversation.unreadCount;
            const peer = directPeer(conversation, me);
            const typing = typingIn(conversation, presence);
            const bold = unread > 0 || conversation.markedUnread;
            const active = conversation.id === activeId;
            return (
              <li key={conversation.id}>
                <a
                  href={`/chat?c=${conversation.id}`}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    onOpen(conversation.id);
                  }}
                  aria-current={active ? "page" : undefined}
                  data-conversation-id={conversation.id}
                  className={`flex items-center gap-3 rounded-xl px-2.5 py-2 ${active ? "bg-selected" : "hover:bg-hover"}`}
                >
                  {peer ? (
                    <Avatar id={peer} name={title} size="md" online={presence.users[peer]?.online} />
                  ) : (
                    <GroupAvatar id={conversation.id} name={title} size="md" />
                  )}
                  <span className="flex min-w-0 flex-1 flex-col">
                    <span className="flex items-center justify-between gap-2">
                      <span className="flex min-w-0 items-center gap-1.5">
                        <span className={`truncate ${bold ? "font-semibold" : "font-medium"}`} dir="auto">{title}</span>
                        {conversation.muted ? (
                          <span role="img" aria-label="muted" className="shrink-0 text-muted">
                            <svg width="13" height="13" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
                              <path d="M13.7 21a2 2 0 0 1-3.4 0M18.6 13A17.9 17.9 0 0 1 18 8M6.3 6.3A6 6 0 0 0 6 8c0 7-3 9-3 9h14M18 8a6 6 0 0 0-9.3-5M3 3l18 18" />
                            </svg>
                          </span>
                        ) : null}
                      </span>
                      {last ? (
                        <time className={`shrink-0 text-xs ${unread > 0 && !conversation.muted ? "font-semibold text-link" : "text-muted"}`} dateTime={last.createdAt}>
                          {shortTime(last.createdAt)}
                        </time>
                      ) : null}
                    </span>
                    <span className="flex items-center justify-between gap-2">
                      {typing ? (
                        <span className="truncate text-sm italic text-emerald-700 dark:text-emerald-400" data-testid="typing-preview">{typing}</span>
                      ) : (
                        <span className={`truncate text-sm ${bold ? "text-fg" : "text-muted"}`} dir="auto">
                          {last ? `${who ? `${who}: ` : ""}${last.preview}` : "No messages yet"}
                        </span>
                      )}
                      <span className="flex shrink-0 items-center gap-1">
                        {unread === 0 && conversation.markedUnread ? (
                          <span className="h-2.5 w-2.5 rounded-full bg-accent" role="img" aria-label="Marked as unread" data-testid="marked-unread" />
                        ) : null}
                        {conversation.unreadMentions > 0 ? (
                          <span className="rounded-full bg-amber-600 px-1.5 text-xs font-semibold text-white" aria-label={`${conversation.unreadMentions} unread mentions`} data-testid="mention-count">
                            @{conversation.unreadMentions}
                          </span>
                        ) : null}
                        {unread > 0 ? (
                          <span
                            className={`min-w-5 rounded-full px-1.5 text-center text-xs font-semibold ${conversation.muted ? "bg-slate-500 text-white" : "bg-accent text-accent-fg"}`}
                            aria-label={`${unread} unread`}
                            data-testid="unread-count"
                          >
                            {unread > 99 ? "99+" : unread}
                          </span>
                        ) : null}
                      </span>
                    </span>
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
