// Message search (DESIGN.md "Search"): what a client asks, on both transports (GET /api/search
// and the `search` socket request), and what it gets back.
import { idSchema } from "./common";
import { z } from "./zod";

/** The longest query accepted: longer is a clear VALIDATION error, not a slow search. */
export const SEARCH_QUERY_MAX = 500;
/** Results in a page. */
export const SEARCH_PAGE_SIZE = 20;

/** Where the last page stopped: the time and id of its last result, opaque to clients. */
export const searchCursorSchema = z.string().regex(/^[0-9]{1,15}\.[a-f0-9]{24}$/, { error: "is not a cursor this server gave" });

export const searchSchema = z.object({
  q: z
    .string()
    .trim()
    .min(1, { error: "Type something to search for" })
    .max(SEARCH_QUERY_MAX, { error: `A search is at most ${SEARCH_QUERY_MAX} characters` }),
  /** Search inside this conversation only (the open one). */
  conversationId: idSchema.optional(),
  cursor: searchCursorSchema.optional(),
  /** The searcher's time zone (IANA), for `before:` and `after:` dates; UTC when absent. */
  timeZone: z
    .string()
    .max(64)
    .refine((zone) => isTimeZone(zone), { error: "is not a time zone" })
    .optional(),
});
export type SearchInput = z.infer<typeof searchSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
