// What the UI says about who is typing: a module of its own, so the page shows it without the
// typing machinery (typing.ts) that only the engine needs.

/** "Ana is typing…", "Ana and Ben are typing…", "Ana and 2 others are typing…"; null when nobody is. */
export function typingLabel(names: string[]): string | null {
  const [first, second] = names;
  if (first === undefined) return null;
  if (second === undefined) return `${first} is typing…`;
  if (names.length === 2) return `${first} and ${second} are typing…`;
  return `${first} and ${names.length - 1} others are typing…`;
}
