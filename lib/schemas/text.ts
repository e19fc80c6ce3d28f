// A string that cannot be stored as UTF-8 (a lone UTF-16 surrogate) would be silently replaced
// by U+FFFD on its way into the database: refuse it instead, with a clear message.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

export const wellFormedError = { error: "contains an invalid character (a lone surrogate)" } as const;

// Characters that show nothing on their own, so a text made only of them looks empty: a message
// of "\u200b" would be a blank bubble, a name of "\u3164" a blank row. The set is:
//   - White_Space: what `.trim()` removes at the ends, anywhere in the text;
//   - Default_Ignorable_Code_Point: Unicode's own list of characters a renderer shows as nothing
//     (zero-width space and joiners U+200B–U+200D, direction marks and embeddings U+200E–U+200F,
//     U+202A–U+202E, U+2066–U+2069, word joiner and invisible operators U+2060–U+2064, U+FEFF,
//     the soft hyphen U+00AD, the combining grapheme joiner U+034F, the Hangul fillers U+115F,
//     U+1160, U+3164 and U+FFA0, U+180B–U+180F, variation selectors, tag characters);
//   - the rest of category Cf (format controls): the interlinear annotation marks U+FFF9–U+FFFB
//     and the Egyptian hieroglyph format controls, which lay out other characters and show
//     nothing alone; except the prepended concatenation marks (U+0600–U+0605, U+06DD, U+070F,
//     U+0890–U+0891, U+08E2, U+110BD, U+110CD), which are drawn as visible signs, so "۝" is text;
//   - U+2800 BRAILLE PATTERN BLANK, an empty braille cell: a letter-sized blank, and the usual
//     way to post a message that "looks" empty once the zero-width ones are refused.
// The test is only whether anything else is left: nothing is ever removed from the text, so a
// joiner inside an emoji sequence ("👩‍💻") or a direction mark in mixed-script text is kept as typed.
// Unicode properties come from the JavaScript engine's Unicode tables, which browsers and Node
// update with their releases; the server's answer is the one that counts.
const ONLY_INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]*$/u;
const PREPENDED_CONCATENATION_MARK = /[\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}]/u;

/**
 * True when `text` shows nothing: empty, or only whitespace and invisible characters (see above).
 * The schemas refuse such text as empty; the composer can call this to refuse it before sending.
 */
export const isBlankText = (text: string): boolean => ONLY_INVISIBLE.test(text) && !PREPENDED_CONCATENATION_MARK.test(text);

/** For a schema's refine: the text shows something. */
export const isVisibleText = (text: string): boolean => !isBlankText(text);
