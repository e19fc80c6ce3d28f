// What the search box (in the page's first load) and the results panel (a chunk of its own) share.

/** Search inside one conversation: shown as a removable chip in the box. */
export type SearchScope = { id: string; name: string };

/** The id of the results list, which the box controls (a combobox, as WAI-ARIA describes it). */
export const SEARCH_RESULTS_ID = "message-search-results";
