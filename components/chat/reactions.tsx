"use client";

import type { ReactionDto } from "@/lib/schemas/dto";

/** Who reacted, by name: members the conversation knows, "someone" for those who have left. */
function who(userIds: string[], names: Map<string, string>, me: string): string {
  return userIds.map((id) => (id === me ? "you" : (names.get(id) ?? "someone"))).join(", ");
}

/** The reactions under a message: each emoji with its count; pressing one toggles one's own. */
export function Reactions({
  reactions,
  names,
  me,
  onToggle,
}: {
  reactions: ReactionDto[];
  names: Map<string, string>;
  me: string;
  onToggle: (emoji: string, add: boolean) => void;
}) {
  if (reactions.length === 0) return null;
  return (
    <ul className="-mt-1 flex flex-wrap gap-1" aria-label="Reactions">
      {reactions.map(({ emoji, userIds }) => {
        const mine = userIds.includes(me);
        const label = `${emoji} ${userIds.length}: ${who(userIds, names, me)}`;
        return (
          <li key={emoji}>
            <button
              type="button"
              aria-pressed={mine}
              aria-label={label}
              title={label}
              data-testid="reaction"
              data-emoji={emoji}
              onClick={() => onToggle(emoji, !mine)}
              className={`rounded-full border px-2 py-0.5 text-xs text-fg shadow-sm ${mine ? "border-accent bg-selected" : "border-line bg-raised hover:bg-hover"}`}
            >
              {emoji} <span data-testid="reaction-count">{userIds.length}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

