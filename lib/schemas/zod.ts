import { z } from "zod";

// Zod compiles object parsers with `new Function` when it may, and finds out by trying once.
// In the browser that try is an eval our Content-Security-Policy refuses and reports as a
// violation. The interpreted path is plenty for chat-sized payloads, so it is used everywhere.
// Every schema imports `z` from here, so this runs before any of them parses.
z.config({ jitless: true });

export { z };
