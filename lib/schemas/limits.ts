// Limits the browser needs as plain numbers. Kept free of zod: a client component that imports
// a value from a schema module pulls in zod whole (~90 kB gzipped, every locale included),
// which alone would put the chat page over its first-load budget (scripts/bundle-size.mjs).
export const MESSAGE_MAX = 4000;
/** Messages in a page of history: by default, and at most. */
export const PAGE_SIZE = 50;
export const PAGE_MAX = 100;

export const NAME_MAX = 80;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** The password rule as the sign-up form says it before anything is typed; the schema enforces the same numbers. */
export const PASSWORD_RULE = `At least ${PASSWORD_MIN} characters`;

/** Files one message may carry. */
export const FILES_PER_MESSAGE = 10;

/** A room's name and topic, as the directory shows them. */
export const ROOM_NAME_MAX = 80;
export const ROOM_TOPIC_MAX = 250;
