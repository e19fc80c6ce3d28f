"use client";

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

export function MentionSuggestions({ suggestions, onPick }: { suggestions: Mentionable[]; onPick: (member: Mentionable) => void }) {
  if (suggestions.length === 0) return null;
  return (
    <ul role="listbox" aria-label="Mention someone" className="absolute bottom-full left-3 mb-1 min-w-48 rounded-md border border-line bg-surface py-1 text-sm shadow">
      {suggestions.map((member, index) => (
        <li key={member.id} role="option" aria-selected={index === 0}>
          {/* A button inside the option: clickable and reachable, without stealing the textarea's focus on mousedown. */}
          <button type="button" className="w-full px-3 py-1 text-left hover:bg-hover" onMouseDown={(event) => event.preventDefault()} onClick={() => onPick(member)}>
            @{member.name}
          </button>
        </li>
      ))}
    </ul>
  );
}
