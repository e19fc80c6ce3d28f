// The search's pure parts: folding, words, keys, and the query language.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AppError } from "../../lib/errors";
import { keysOfWord, lookupKey, pairKeysOf, phrasePairKeys, wordMatches } from "../../lib/search/keys";
import { textMatcher } from "../../lib/search/match";
import { parseQuery } from "../../lib/search/query";
import { containsPhrase, fold, matchRanges, phraseFilter, splitWords, wordsOf } from "../../lib/search/words";

describe("fold", () => {
  it("ignores case and accents, folds ß, ligatures and final sigma, and keeps what is part of a letter", () => {
    assert.equal(fold("Éclair"), "eclair");
    assert.equal(fold("STRAẞE Straße"), "strasse strasse");
    assert.equal(fold("ﬁne"), "fine");
    assert.equal(fold("ΣΊΣΥΦΟΣ"), fold("σισυφος"));
    assert.equal(fold("Ångström naïve"), "angstrom naive");
    assert.equal(fold("İstanbul"), "istanbul");
    assert.equal(fold("Ёлка"), "елка");
    // A Japanese voicing mark and a Thai vowel are not accents: they stay.
    assert.equal(fold("で"), "で");
    assert.equal(fold("ชื่อ"), "ชื่อ");
    assert.equal(fold("don’t"), "don't");
  });
});

// The fold without its plain-ASCII shortcut, as lib/search/words.ts does it for everything else.
const foldInFull = (text: string) =>
  text.normalize("NFKD").replace(/[\u0300-\u036f]+/g, "").toUpperCase().toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]+/g, "").replace(/ß/g, "ss").replace(/\u2019/g, "'").normalize("NFC");

describe("fold of plain ASCII", () => {
  it("is the full fold", () => {
    fc.assert(fc.property(fc.string({ unit: "binary-ascii", maxLength: 60 }), (text) => fold(text) === foldInFull(text)), { numRuns: 2_000 });
  });
});

describe("phraseFilter", () => {
  // Texts made of a few words and what goes between words in chat (spaces, punctuation, apostrophes, symbols).
  const word = fc.constantFrom("looks", "good", "Looks", "GOOD", "goodness", "look", "it's", "3.14", "e.g", "x", "a_b", "über", "naïve", "™", "①", "東京");
  const between = fc.constantFrom(" ", ", ", "  ", "\n", "...", " - ", "'", ".", ":", "_", "", " (", ") ", "!?", "’", " ™ ", "😀");
  const text = fc.array(fc.tuple(word, between), { maxLength: 10 }).map((parts) => parts.map(([w, b]) => w + b).join(""));
  const phrase = fc.array(fc.constantFrom("looks", "good", "goo", "it's", "3.14", "e.g", "x", "a_b", "uber", "naive", "tm", "1"), { minLength: 2, maxLength: 3 });

  it("lets through every text whose words hold the phrase", () => {
    fc.assert(
      fc.property(text, phrase, (t, p) => !containsPhrase(t, p) || phraseFilter(p)(t, fold(t))),
      { numRuns: 5_000 },
    );
  });

  it("turns away a text that holds the words apart", () => {
    const passes = phraseFilter(["looks", "good"]);
    const t = "it looks fine, good work";
    assert.equal(passes(t, fold(t)), false);
    const u = "It LOOKS — good!";
    assert.equal(passes(u, fold(u)), true);
    // Not plain ASCII: a character between two words may fold into letters, so it is let through.
    const v = "looks™ good";
    assert.ok(containsPhrase(v, ["looks", "good"]));
    assert.equal(passes(v, fold(v)), true);
  });
});

describe("textMatcher", () => {
  it("wants every typed word to begin a word and every phrase in order, whatever the case and accents", () => {
    const matches = textMatcher(parseQuery('"looks good" dep'));
    assert.equal(matches("Deployed it: LOOKS — good!"), true);
    assert.equal(matches("deployed, looks fine and good"), false);
    assert.equal(matches("redeployed, looks good"), false);
    assert.equal(matches("Déployé: lööks gööd"), true);
    assert.equal(textMatcher(parseQuery("from:me"))("anything"), true);
  });

  it("tells a match without splitting only where splitting would find the same", () => {
    // The reference: split into words, as the search did before any shortcut.
    const exact = (query: ReturnType<typeof parseQuery>) => (text: string) => {
      const words = splitWords(text).map((w) => w.folded);
      return query.words.every((typed) => words.some((word) => wordMatches(typed, word))) && query.phrases.every((phrase) => containsPhrase(text, phrase));
    };
    const word = fc.constantFrom("looks", "good", "Looks", "GOOD", "goodness", "go", "a", "it's", "3.14", "e.g", "x:go", "a_b", "o'good", "deploy", "redeploy", "über", "x");
    const between = fc.constantFrom(" ", "  ", ", ", "\n", "...", "'", ".", ":", "_", "", " (", "-", "\t");
    const text = fc.array(fc.tuple(word, between), { maxLength: 8 }).map((parts) => parts.map(([w, b]) => w + b).join(""));
    const typed = fc.array(fc.constantFrom("go", "good", "looks", "a", "x", "dep", "b", "3", "14", "s", '"looks good"', '"looks go"', '"go"', '"a go"', '"it s"'), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(text, typed, (t, q) => {
        const query = parseQuery(q.join(" "));
        return textMatcher(query)(t) === exact(query)(t);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe("words", () => {
  it("finds words in languages without spaces", () => {
    assert.ok(wordsOf("東京都に住んでいます").includes("東京"));
    assert.ok(wordsOf("สวัสดีครับ").includes("ครับ"));
    assert.deepEqual(wordsOf("Hello, hello — WORLD!"), ["hello", "world"]);
  });

  it("checks phrases word by word, the last by prefix", () => {
    assert.ok(containsPhrase("We deploy the release tonight", ["release", "ton"]));
    assert.ok(!containsPhrase("We deploy the release tonight", ["tonight", "release"]));
    assert.ok(!containsPhrase("We deploy the releases", ["release", "tonight"]));
  });

  it("marks what matched in the original text, accents and case as written", () => {
    const text = "Un CAFÉ crème, café noir";
    const ranges = matchRanges(text, ["cafe"]);
    assert.deepEqual(ranges.map(([i, n]) => text.slice(i, i + n)), ["CAFÉ", "café"]);
    const phrase = matchRanges("the release tonight, the release", [], [["release", "tonight"]]);
    assert.deepEqual(phrase, [[4, 7], [12, 7]]);
  });

  it("marks only the words the search matched: a one- or two-character word whole, a longer one as a prefix", () => {
    const text = "Go to Gothenburg, GO! ok Okay";
    const marked = (words: string[]) => matchRanges(text, words).map(([i, n]) => text.slice(i, i + n));
    assert.deepEqual(marked(["go"]), ["Go", "GO"]);
    assert.deepEqual(marked(["got"]), ["Gothenburg"]);
    assert.deepEqual(marked(["ok", "to"]), ["to", "ok"]);
    // The same rule as the server's check of a candidate (lib/chat/search.ts uses wordMatches).
    for (const word of wordsOf(text)) for (const typed of ["go", "got", "ok", "oka"]) {
      const highlighted = matchRanges(word, [typed]).length > 0;
      assert.equal(highlighted, wordMatches(typed, word), `${typed} in ${word}`);
    }
  });
});

describe("keys", () => {
  it("files a word under its first three and five characters, a short word under itself", () => {
    assert.deepEqual(keysOfWord("deployment"), ["dep", "deplo"]);
    assert.deepEqual(keysOfWord("test"), ["tes"]);
    assert.deepEqual(keysOfWord("ok"), ["ok"]);
    assert.deepEqual(keysOfWord("東京"), ["東京"]);
  });

  it("looks a typed word up by a key every word it begins is filed under", () => {
    for (const word of ["deployment", "test", "ok", "release", "東京", "ครับ"]) {
      for (let n = 1; n <= Array.from(word).length; n++) {
        const typed = Array.from(word).slice(0, n).join("");
        if (!wordMatches(typed, word)) continue;
        assert.ok(keysOfWord(word).includes(lookupKey(typed)), `${typed} → ${word}`);
      }
    }
    assert.ok(wordMatches("dep", "deploy"));
    assert.ok(!wordMatches("de", "deploy"), "one or two characters match whole words");
    assert.ok(wordMatches("ok", "ok"));
  });

  it("files the pairs of words that follow one another, and looks a phrase up by pairs every match is filed under", () => {
    assert.deepEqual(pairKeysOf(["looks", "good", "to", "me", "looks", "good"]), ["loo goo", "goo to", "to me", "me loo"]);
    assert.deepEqual(phrasePairKeys(["looks", "good"]), ["loo goo"]);
    assert.deepEqual(phrasePairKeys(["looks", "go"]), [], "a last word of two characters may begin a longer word");
    assert.deepEqual(phrasePairKeys(["let", "it", "be"]), ["let it"]);
    assert.deepEqual(phrasePairKeys(["e", "mail"]), ["e mai"]);
    assert.ok(!pairKeysOf(["looks", "good"]).some((key) => keysOfWord("looks").includes(key)), "a pair's key is no word's");
  });

  it("every text that holds a phrase is filed under each of the phrase's pair keys", () => {
    const word = fc.constantFrom("looks", "good", "Looks", "GOOD", "goodness", "go", "a", "it's", "3.14", "e-mail", "über", "Straße", "東京都に", "ครับผม", "x");
    const between = fc.constantFrom(" ", ", ", "\n", "...", " - ", "'", "", "😀 ", "™");
    const text = fc.array(fc.tuple(word, between), { minLength: 1, maxLength: 10 }).map((parts) => parts.map(([w, b]) => w + b).join(""));
    const run = fc.tuple(text, fc.nat(), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 8 }));
    fc.assert(
      fc.property(run, ([t, start, length, prefix]) => {
        const words = splitWords(t).map((w) => w.folded);
        if (words.length < 2) return true;
        const at = start % (words.length - 1);
        const phrase = words.slice(at, at + length);
        phrase[phrase.length - 1] = Array.from(phrase.at(-1)!).slice(0, prefix).join("");
        assert.ok(containsPhrase(t, phrase));
        const filed = new Set(pairKeysOf(words));
        return phrasePairKeys(phrase).every((key) => filed.has(key));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe("parseQuery", () => {
  const error = (query: string) => {
    try {
      parseQuery(query);
    } catch (e) {
      assert.ok(e instanceof AppError);
      return (e as AppError).message;
    }
    assert.fail(`${query} was accepted`);
  };

  it("takes words, phrases and operators apart", () => {
    const parsed = parseQuery('Hello "the Release" e-mail from:Ben from:me in:"Team chat" has:FILE has:link');
    assert.deepEqual(parsed.words, ["hello"]);
    assert.deepEqual(parsed.phrases, [["the", "release"], ["e", "mail"]]);
    assert.deepEqual(parsed.from, ["ben", "me"]);
    assert.deepEqual(parsed.fromAsTyped, ["Ben", "me"], "as typed, for the exact lookup by name");
    assert.deepEqual(parsed.in, ["team chat"]);
    assert.deepEqual(parsed.has, ["file", "link"]);
  });

  it("reads dates as days in the searcher's time zone", () => {
    assert.equal(parseQuery("before:2026-06-01").before?.toISOString(), "2026-06-01T00:00:00.000Z");
    assert.equal(parseQuery("after:2026-06-01").after?.toISOString(), "2026-06-02T00:00:00.000Z");
    assert.equal(parseQuery("before:2026-06-01", { timeZone: "Europe/Berlin" }).before?.toISOString(), "2026-05-31T22:00:00.000Z");
    assert.equal(parseQuery("before:2026-01-01", { timeZone: "America/New_York" }).before?.toISOString(), "2026-01-01T05:00:00.000Z");
    // Two of a kind: the narrower holds.
    assert.equal(parseQuery("before:2026-06-01 before:2026-03-01").before?.toISOString(), "2026-03-01T00:00:00.000Z");
  });

  it("refuses bad operator values with a sentence that says what to write", () => {
    assert.match(error("has:pdf"), /has: takes file, image, link/);
    assert.match(error("before:tomorrow"), /tomorrow is not a date/);
    assert.match(error("after:2026-13-01"), /is not a date/);
    assert.match(error("after:2026-02-29"), /is not a date/);
    assert.match(error("in:"), /in: needs a value/);
    assert.match(error(Array.from({ length: 13 }, (_, i) => `w${i}`).join(" ")), /at most 12 words/);
  });

  it("treats punctuation and unknown operators as text, never as syntax", () => {
    assert.deepEqual(parseQuery(".*+?^$ {}()|[] \\").words, []);
    // A colon inside a word keeps it one word (UAX #29), as the index files it.
    assert.deepEqual(parseQuery("foo:bar").words, ["foo:bar"]);
    assert.deepEqual(wordsOf("see foo:bar"), ["see", "foo:bar"]);
    assert.deepEqual(parseQuery('"unterminated phrase').phrases, [["unterminated", "phrase"]]);
  });
});
