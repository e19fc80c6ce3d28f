// Whether a text matches a search's typed words and phrases, as the search tells it from a posting
// and again from the message (lib/chat/search.ts). Pure.
import { wordMatches } from "./keys";
import type { ParsedQuery } from "./query";
import { fold, phraseAmong, phraseFilter, splitWords } from "./words";

export type TextMatcher = (text: string) => boolean;

/**
 * Every typed word begins a word of the text, and every phrase is in it. Cheap tests first: every
 * typed word, and every word of every phrase, is somewhere in the folded text (as each word it
 * begins is), and each phrase passes its filter; only then is the text split into words (folding
 * is some 60 times faster than splitting, and most candidates of a phrase fail before).
 */
export function textMatcher(query: ParsedQuery): TextMatcher {
  if (query.words.length === 0 && query.phrases.length === 0) return () => true;
  const parts = [...query.words, ...query.phrases.flat()];
  const filters = query.phrases.map(phraseFilter);
  return (text) => {
    const folded = fold(text);
    if (!parts.every((part) => folded.includes(part)) || !filters.every((passes) => passes(text, folded))) return false;
    const words = splitWords(text).map((w) => w.folded);
    return query.words.every((typed) => words.some((word) => wordMatches(typed, word))) && query.phrases.every((phrase) => phraseAmong(words, phrase));
  };
}
