// A string that cannot be stored as UTF-8 (a lone UTF-16 surrogate) would be silently replaced
// by U+FFFD on its way into the database: refuse it instead, with a clear message.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

export const wellFormedError = { error: "contains an invalid character (a lone surrogate)" } as const;
