// A search query as typed, taken apart: words (each matching by prefix), "phrases", and the
// operators from:, in:, has:, before:, after:. Pure: no database, so every rule is unit-tested.
import { AppError } from "../errors";
import { fold, splitWords } from "./words";

export const HAS_VALUES = ["file", "image", "link"] as const;
export type HasValue = (typeof HAS_VALUES)[number];

/** Words (phrase words included) one search may look up. */
export const QUERY_WORDS_MAX = 12;

export type ParsedQuery = {
  /** Folded words, each matched as the start of a word. */
  words: string[];
  /** Folded words that must follow one another; the last matches by prefix. */
  phrases: string[][];
  /** Folded name prefixes of senders (any of them), or "me". */
  from: string[];
  /** The same names as typed (spaces trimmed), for an exact lookup; "me" as it is. */
  fromAsTyped: string[];
  /** Folded name prefixes of conversations (any of them). */
  in: string[];
  has: HasValue[];
  /** Only messages sent before this instant (exclusive). */
  before: Date | null;
  /** Only messages sent at or after this instant. */
  after: Date | null;
};

const OPERATOR = /^(from|in|has|before|after):/i;

type Token = { operator: string | null; value: string; quoted: boolean };

/** Splits on spaces, keeping "quoted text" (unterminated: to the end) together, after an operator too. */
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i]!)) {
      i += 1;
      continue;
    }
    const operator = OPERATOR.exec(query.slice(i))?.[1]?.toLowerCase() ?? null;
    if (operator) i += operator.length + 1;
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      const stop = end === -1 ? query.length : end;
      tokens.push({ operator, value: query.slice(i + 1, stop), quoted: true });
      i = stop + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/.test(query[end]!)) end += 1;
    tokens.push({ operator, value: query.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

/**
 * Parses `query`. Dates are days in `timeZone`: before:2026-12-01 is before that day begins there,
 * after:2026-12-01 from the next day on (the day itself is neither before nor after it).
 */
export function parseQuery(query: string, { timeZone = "UTC" }: { timeZone?: string } = {}): ParsedQuery {
  const parsed: ParsedQuery = { words: [], phrases: [], from: [], fromAsTyped: [], in: [], has: [], before: null, after: null };
  for (const token of tokenize(query)) {
    const value = token.value.trim();
    if (token.operator === null) {
      const words = splitWords(value).map((w) => w.folded);
      // "e-mail", 東京都: one typed token that is several words is matched as a phrase.
      if (token.quoted || words.length > 1) {
        if (words.length > 0) parsed.phrases.push(words);
      } else if (words.length === 1) parsed.words.push(words[0]!);
      continue;
    }
    if (!value) throw new AppError("VALIDATION", `${token.operator}: needs a value, like ${example(token.operator)}`);
    switch (token.operator) {
      case "from":
        parsed.from.push(value.toLowerCase() === "me" ? "me" : fold(value));
        parsed.fromAsTyped.push(value.toLowerCase() === "me" ? "me" : value.replace(/\s+/g, " "));
        break;
      case "in":
        parsed.in.push(fold(value));
        break;
      case "has": {
        const has = value.toLowerCase();
        if (!(HAS_VALUES as readonly string[]).includes(has)) throw new AppError("VALIDATION", `has: takes ${HAS_VALUES.join(", ")}`);
        if (!parsed.has.includes(has as HasValue)) parsed.has.push(has as HasValue);
        break;
      }
      case "before": {
        const day = startOfDay(value, timeZone, 0);
        parsed.before = parsed.before && parsed.before < day ? parsed.before : day;
        break;
      }
      case "after": {
        const day = startOfDay(value, timeZone, 1);
        parsed.after = parsed.after && parsed.after > day ? parsed.after : day;
        break;
      }
    }
  }
  parsed.words = [...new Set(parsed.words)];
  const count = parsed.words.length + parsed.phrases.reduce((sum, p) => sum + p.length, 0);
  if (count > QUERY_WORDS_MAX) throw new AppError("VALIDATION", `A search takes at most ${QUERY_WORDS_MAX} words`);
  return parsed;
}

/** Whether the query asks for anything at all (an operator alone is a question too). */
export function isEmptyQuery(parsed: ParsedQuery): boolean {
  return (
    parsed.words.length === 0 &&
    parsed.phrases.length === 0 &&
    parsed.from.length === 0 &&
    parsed.in.length === 0 &&
    parsed.has.length === 0 &&
    !parsed.before &&
    !parsed.after
  );
}

const example = (operator: string) =>
  ({ from: "from:ana", in: "in:design", has: "has:file", before: "before:2026-12-31", after: "after:2026-01-01" })[operator] ?? "";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant `days` after the day `value` (YYYY-MM-DD) begins in `timeZone`. */
function startOfDay(value: string, timeZone: string, days: number): Date {
  const match = DATE.exec(value);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const utc = Date.UTC(year, month - 1, day + days);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || year < 1970 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || year > 9999) {
    throw new AppError("VALIDATION", `${value} is not a date: write it as ${new Date().getUTCFullYear()}-12-31`);
  }
  // Local midnight: the UTC midnight moved by the zone's offset there (checked twice, for DST).
  let instant = utc - offsetAt(utc, timeZone);
  instant = utc - offsetAt(instant, timeZone);
  return new Date(instant);
}

/** The zone's offset from UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(instant / 1000) * 1000;
}
