// Whether a text matches a search's typed words and phrases, as the search tells it from a posting
// and again from the message (lib/chat/search.ts). Pure.
import { wordMatches } from "./keys";
import type { ParsedQuery } from "./query";
import { fold, isAscii, phraseAmong, phraseFilter, splitWords, startsWordAfterSpace } from "./words";

export type TextMatcher = (text: string) => boolean;

const PLAIN = /^[a-z0-9]+$/;

/**
 * A match told without splitting, for plain ASCII text: every typed word, and every phrase as its
 * words with single spaces between, after a space (startsWordAfterSpace). Most matches are
 * written so; the rest are split. Null when a typed word holds anything but ASCII letters and
 * digits.
 */
function spacedMatch(query: ParsedQuery): ((folded: string) => boolean) | null {
  if (![...query.words, ...query.phrases.flat()].every((word) => PLAIN.test(word))) return null;
  // A typed word of one or two characters is a whole word (its key is itself); a phrase's last word, like a longer typed word, begins one.
  const words = query.words.map((word) => ({ part: word, whole: word.length < 3 }));
  const phrases = query.phrases.map((phrase) => ({ part: phrase.join(" "), whole: false }));
  return (folded) => [...words, ...phrases].every(({ part, whole }) => startsWordAfterSpace(folded, part, { whole }));
}

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
  const spaced = spacedMatch(query);
  return (text) => {
    const folded = fold(text);
    if (!parts.every((part) => folded.includes(part)) || !filters.every((passes) => passes(text, folded))) return false;
    if (spaced !== null && isAscii(text) && spaced(folded)) return true;
    const words = splitWords(text).map((w) => w.folded);
    return query.words.every((typed) => words.some((word) => wordMatches(typed, word))) && query.phrases.every((phrase) => phraseAmong(words, phrase));
  };
}
