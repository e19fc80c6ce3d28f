"use client";

import { Avatar } from "./avatar";

export type Mentionable = { id: string; name: string };

/** The "@partial" being typed at the end of the text, or null when none is. */
export function mentionQuery(text: string): string | null {
  const match = /(?:^|\s)@([^@\s]*)$/.exec(text);
  return match ? (match[1] ?? "") : null;
}

/** The members whose "@Name" the text still holds, each once. */
export function mentionsIn(text: string, members: Mentionable[]): string[] {
  return [...new Set(members.filter((m) => text.includes(`@${m.name}`)).map((m) => m.id))];
}

export const MENTION_LIST_ID = "mention-suggestions";
export const mentionOptionId = (id: string) => `mention-${id}`;

/**
 * Who can be mentioned, as the composer's pop-up list: ↑/↓ move the highlight (the textarea keeps
 * focus and points at it with aria-activedescendant), Enter or Tab picks, Escape closes.
 */
export function MentionSuggestions({ suggestions, selected, onPick }: { suggestions: Mentionable[]; selected: number; onPick: (member: Mentionable) => void }) {
  if (suggestions.length === 0) return null;
  return (
    <ul
      id={MENTION_LIST_ID}
      role="listbox"
      aria-label="Mention someone"
      className="absolute bottom-full left-3 z-20 mb-1 min-w-56 overflow-hidden rounded-xl border border-line bg-surface py-1 text-sm text-fg shadow-xl sm:left-6"
    >
      {suggestions.map((member, index) => (
        <li
          key={member.id}
          id={mentionOptionId(member.id)}
          role="option"
          aria-selected={index === selected}
          // Picked with the pointer without taking the textarea's focus.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(member)}
          className={`flex cursor-pointer items-center gap-2 px-3 py-1.5 ${index === selected ? "bg-selected" : "hover:bg-hover"}`}
        >
          <Avatar id={member.id} name={member.name} size="xs" />
          <span className="truncate">@{member.name}</span>
        </li>
      ))}
    </ul>
  );
}
