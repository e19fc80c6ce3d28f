// What the conversation list previews in place of text that is gone: shared by the server (which
// stores and serves previews) and the browser (which updates them live).
export const DELETED_PREVIEW = "This message was deleted";
/** The newest message was deleted for the viewer alone: the others still see its text. */
export const HIDDEN_PREVIEW = "You deleted this message";
