// How the directory finds a room by name without scanning: each room stores the prefixes of its
// name's words, folded as message search folds them (lib/search/words.ts: "Café" is found by
// "cafe", "Straße" by "strasse", and names in languages without spaces split into words),
// and a search looks one of them up by equality on the nameTerms index (partial: listed rooms only).
// Pure: unit-tested (test/unit/room-terms.test.ts).

import { splitWords } from "../search/words";

/** Prefixes longer than this are not stored: a longer query word is cut to it, then checked in full. */
export const TERM_MAX = 16;

/** The words of a text as the index sees them. */
export function normalisedWords(text: string): string[] {
  return splitWords(text).map((word) => word.folded);
}

/** Every prefix (1 to TERM_MAX characters) of every word of the name, each once. */
export function nameTerms(name: string): string[] {
  const terms = new Set<string>();
  for (const word of normalisedWords(name)) {
    const letters = [...word];
    for (let length = 1; length <= Math.min(letters.length, TERM_MAX); length += 1) terms.add(letters.slice(0, length).join(""));
  }
  return [...terms];
}

/**
 * What a directory query looks up: the longest query word cut to TERM_MAX (the most selective
 * entry of the index), and a check that every query word begins some word of a found room's
 * name. Null when the query has no words (list everything).
 */
export function directoryQuery(q: string): { term: string; matches: (name: string) => boolean } | null {
  const words = normalisedWords(q);
  if (words.length === 0) return null;
  const longest = words.reduce((a, b) => ([...b].length > [...a].length ? b : a));
  return {
    term: [...longest].slice(0, TERM_MAX).join(""),
    matches: (name) => {
      const nameWords = normalisedWords(name);
      return words.every((word) => nameWords.some((candidate) => candidate.startsWith(word)));
    },
  };
}
