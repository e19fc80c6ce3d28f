// Limits the browser needs as plain numbers. Kept free of zod: a client component that imports
// a value from a schema module pulls in zod whole (~90 kB gzipped, every locale included),
// which alone would put the chat page over its first-load budget (scripts/bundle-size.mjs).
export const MESSAGE_MAX = 4000;
