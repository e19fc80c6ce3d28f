// How text becomes searchable words, the same on the server (the term index, lib/search/terms.ts)
// and in the browser (highlighting what matched): words as Intl.Segmenter finds them, so
// languages written without spaces (Japanese, Chinese, Thai) split into words too, then folded
// so that case and accents do not matter: NFKD, diacritics dropped, full case folding (ß → ss,
// ς → σ, ﬁ → fi), recomposed. No dependency: the browser bundle includes this file.
import { wordMatches } from "./keys";

/** Longer words are cut to this many code points in the index and in queries alike. */
export const WORD_MAX = 32;

// Diacritics a reader treats as optional: the combining accents of Latin, Greek and Cyrillic,
// Hebrew points and Arabic vowel signs. Not every mark: a Thai vowel or a Japanese voicing mark
// (で is て + U+3099 once decomposed) is part of the letter.
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0591-\u05c7\u064b-\u065f\u0670]+/g;

const ASCII = /^[\x00-\x7f]*$/;

/** Whether `text` is plain ASCII, which folds by lower case alone. */
export const isAscii = (text: string) => ASCII.test(text);

/** Case- and accent-insensitive form of a string: "Éclair" → "eclair", "Straße" → "strasse". */
export function fold(text: string): string {
  // Plain ASCII has nothing to decompose or recompose: lower case is the whole of it (most text, and 20 times faster).
  if (isAscii(text)) return text.toLowerCase();
  // NFKD splits ligatures and accents off their letters; upper then lower case is full case
  // folding where toLowerCase alone misses (ß, ς); NFC puts back together what is left.
  const bare = text.normalize("NFKD").replace(DIACRITICS, "");
  return bare.toUpperCase().toLowerCase().normalize("NFKD").replace(DIACRITICS, "").replace(/ß/g, "ss").replace(/\u2019/g, "'").normalize("NFC");
}

let segmenter: Intl.Segmenter | null = null;
const words = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: "word" }));

export type Word = {
  /** Where the word is in the original text (UTF-16 offsets), for highlighting. */
  index: number;
  length: number;
  /** Its folded form, cut to WORD_MAX code points. */
  folded: string;
};

/** The words of `text`, in order, with where each one is. */
export function splitWords(text: string): Word[] {
  const found: Word[] = [];
  for (const segment of words().segment(text)) {
    if (!segment.isWordLike) continue;
    const folded = cut(fold(segment.segment));
    if (folded) found.push({ index: segment.index, length: segment.segment.length, folded });
  }
  return found;
}

function cut(word: string): string {
  const points = Array.from(word);
  return points.length > WORD_MAX ? points.slice(0, WORD_MAX).join("") : word;
}

/** The distinct folded words of `text`. */
export function wordsOf(text: string): string[] {
  return [...new Set(splitWords(text).map((w) => w.folded))];
}

/**
 * Where in `text` the query matched, as [index, length] ranges: every word one of the typed
 * `words` matches as the search does (wordMatches: it begins the word, or a one- or two-character
 * typed word is the whole word), and every run of consecutive words that spells one of `phrases`
 * (each a list of folded words, the last of which may be a prefix), as containsPhrase checks it.
 */
export function matchRanges(text: string, words: string[], phrases: string[][] = []): [number, number][] {
  const all = splitWords(text);
  const marked = new Set<number>();
  all.forEach((word, i) => {
    if (words.some((typed) => wordMatches(typed, word.folded))) marked.add(i);
  });
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.length <= all.length; i++) {
      if (phrase.every((p, k) => (k === phrase.length - 1 ? all[i + k]!.folded.startsWith(p) : all[i + k]!.folded === p))) {
        for (let k = 0; k < phrase.length; k++) marked.add(i + k);
      }
    }
  }
  return [...marked].sort((a, b) => a - b).map((i) => [all[i]!.index, all[i]!.length]);
}

/** Whether the words of `text` contain `phrase` (folded words, the last a prefix) one after another. */
export function containsPhrase(text: string, phrase: string[]): boolean {
  return phraseAmong(splitWords(text).map((w) => w.folded), phrase);
}

/** Whether `words` (folded, in order) hold `phrase` (the last of its words a prefix) one after another. */
export function phraseAmong(words: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return true;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((p, k) => (k === phrase.length - 1 ? words[i + k]!.startsWith(p) : words[i + k] === p))) return true;
  }
  return false;
}

/**
 * A test a text passes whenever its words hold `phrase` (containsPhrase), without splitting it
 * into words: in its folded form, the phrase's words in order with nothing but what is neither
 * letter nor digit between them. Most texts that hold each word but not the phrase fail it. Only
 * plain ASCII text is tested: elsewhere a character between two words may fold into letters (™
 * into "tm"). A word cut to WORD_MAX may be longer in the text, so such a phrase is let through.
 */
export function phraseFilter(phrase: string[]): (text: string, folded: string) => boolean {
  if (phrase.length < 2 || phrase.slice(0, -1).some((word) => Array.from(word).length >= WORD_MAX)) return () => true;
  return (text, folded) => !isAscii(text) || followEachOther(folded, phrase);
}

const isLetterOrDigit = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);

/** In lower-case ASCII `folded`: the words at some place, one after another, with no letter or digit between them. */
function followEachOther(folded: string, phrase: string[]): boolean {
  for (let start = folded.indexOf(phrase[0]!); start !== -1; start = folded.indexOf(phrase[0]!, start + 1)) {
    let at = start + phrase[0]!.length;
    let k = 1;
    for (; k < phrase.length; k++) {
      while (at < folded.length && !isLetterOrDigit(folded.charCodeAt(at))) at++;
      if (!folded.startsWith(phrase[k]!, at)) break;
      at += phrase[k]!.length;
    }
    if (k === phrase.length) return true;
  }
  return false;
}

const isSpace = (code: number) => code === 32 || code === 10 || code === 9 || code === 13;

/**
 * In lower-case ASCII `folded`: `part` (letters and digits, or such words with single spaces
 * between) at the start or after a space, and when `whole`, followed by a space or the end. There
 * the words certainly are what splitWords finds: Intl.Segmenter always starts a word after a
 * space and ends one before it, and never breaks between ASCII letters and digits. Whether a word
 * begins anywhere else (after an apostrophe, a colon, a period) is left to splitting the text.
 */
export function startsWordAfterSpace(folded: string, part: string, { whole }: { whole: boolean }): boolean {
  for (let at = folded.indexOf(part); at !== -1; at = folded.indexOf(part, at + 1)) {
    const end = at + part.length;
    if ((at === 0 || isSpace(folded.charCodeAt(at - 1))) && (!whole || end === folded.length || isSpace(folded.charCodeAt(end)))) return true;
  }
  return false;
}
