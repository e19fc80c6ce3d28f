// What a "nothing changed" snapshot leaves out: the search index's bookkeeping on conversations
// (lib/search/indexer.ts), which the index writes in the background a moment after any change,
// so it may move between two snapshots that a denied request left alone.
export const WITHOUT_INDEX_BOOKKEEPING = { projection: { searchBehind: 0, searchVersion: 0 } } as const;
