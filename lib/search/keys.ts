// The keys of the term index: what a word is filed under, and what a typed word is looked up by.
// A typed word matches every word it begins (from its third character; one or two characters
// match whole words), so a word is filed under its first three characters and, when longer, its
// first five; a word of one or two characters under itself. A typed word is looked up by the
// longest of those it has: "dep" and "depl" by "dep", "deplo" and "deploy" by "deplo". What a key
// finds is then checked against the whole typed word (lib/chat/search.ts). Most words file under
// one or two keys, fewer than their distinct prefixes (one index entry each, written with every
// message): about as many entries as whole words, and no vocabulary to expand prefixes against.
// Pure, so the browser and the server agree.

const SHORT = 3;
const LONG = 5;

const points = (word: string) => Array.from(word);

/** The keys a word is filed under. */
export function keysOfWord(word: string): string[] {
  const p = points(word);
  if (p.length < SHORT) return [word];
  if (p.length < LONG) return [p.slice(0, SHORT).join("")];
  return [p.slice(0, SHORT).join(""), p.slice(0, LONG).join("")];
}

/** The key a typed word is looked up by. */
export function lookupKey(word: string): string {
  const p = points(word);
  if (p.length < SHORT) return word;
  return p.slice(0, p.length < LONG ? SHORT : LONG).join("");
}

/** Whether a typed word matches a word of a message: it begins it, or (one or two characters) is it. */
export function wordMatches(typed: string, word: string): boolean {
  return points(typed).length < SHORT ? word === typed : word.startsWith(typed);
}

/** The distinct keys of a list of words. */
export function keysOf(words: string[]): string[] {
  return [...new Set(words.flatMap(keysOfWord))];
}

/**
 * The key a message is also filed under for its sender (from:): "@" and their id. No word has an
 * "@" in it (words are letters and digits), so it never meets a word's key.
 */
export function senderKey(senderId: string): string {
  return `@${senderId}`;
}

/** What a word stands for in a pair's key: its first three characters, or the whole of a shorter word. */
const pairPart = (word: string) => points(word).slice(0, SHORT).join("");

/**
 * The keys of the pairs of words that follow one another in a message (`words` folded, in order):
 * "looks good" is filed under "loo goo". A phrase is then looked up by one of its pairs, which
 * is far rarer than either of its words. A space is in no word, so a pair's key meets no word's.
 */
export function pairKeysOf(words: string[]): string[] {
  const parts = words.map(pairPart);
  return [...new Set(parts.slice(1).map((second, i) => `${parts[i]} ${second}`))];
}

/**
 * The keys a typed phrase (folded words, the last a prefix) is certainly filed under, one per
 * pair of its words: every pair but one ending in a last word of one or two characters ("let g"
 * finds "let go", whose key is "let go").
 */
export function phrasePairKeys(phrase: string[]): string[] {
  const pairs = phrase.slice(1).map((second, i) => ({ first: phrase[i]!, second, last: i + 2 === phrase.length }));
  return pairs.filter((pair) => !pair.last || points(pair.second).length >= SHORT).map((pair) => `${pairPart(pair.first)} ${pairPart(pair.second)}`);
}
