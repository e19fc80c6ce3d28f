// What a search result shows of its message: the text, or for a long one a stretch around the
// first match, cut into plain and marked pieces (rendered as <mark>). Pure, so it is unit-tested.
import { matchRanges } from "../search/words";

export type Piece = { text: string; marked: boolean };

/** Characters shown of a long message; the first match starts about LEAD characters in. */
export const SNIPPET_MAX = 180;
const LEAD = 50;

/** The pieces of `text` to show for a result of a search for `words` and `phrases`. */
export function snippet(text: string, words: string[], phrases: string[][], max = SNIPPET_MAX): Piece[] {
  const ranges = matchRanges(text, words, phrases);
  let start = 0;
  let end = text.length;
  if (text.length > max) {
    const first = ranges[0]?.[0] ?? 0;
    start = Math.max(0, Math.min(first - LEAD, text.length - max));
    // Begin at a word: after the first space in the lead, when there is one before the match.
    const space = text.lastIndexOf(" ", first);
    if (start > 0 && space > start && space < first) start = Math.min(text.indexOf(" ", start) + 1, first);
    end = Math.min(text.length, start + max);
  }
  const pieces: Piece[] = [];
  const push = (from: number, to: number, marked: boolean) => {
    if (to > from) pieces.push({ text: text.slice(from, to), marked });
  };
  let at = start;
  for (const [index, length] of ranges) {
    const from = Math.max(index, at);
    const to = Math.min(index + length, end);
    if (to <= from) continue;
    push(at, from, false);
    push(from, to, true);
    at = to;
  }
  push(at, end, false);
  if (start > 0) pieces.unshift({ text: "…", marked: false });
  if (end < text.length) pieces.push({ text: "…", marked: false });
  return pieces;
}
