// Socket.IO room names, shared by the socket servers and the web app's Redis emitter.
export const userRoom = (userId: string) => `user:${userId}`;
export const conversationRoom = (conversationId: string) => `conv:${conversationId}`;

/**
 * Every socket is in exactly one of these two, by its user's read-receipts setting. Socket.IO
 * sends to a union of rooms minus others, never to an intersection: "the conversation's sockets
 * whose user turned receipts off" is the conversation's room except RECEIPTS_ON_ROOM, which works
 * the same on one socket server or many.
 */
export const RECEIPTS_ON_ROOM = "receipts-on";
export const RECEIPTS_OFF_ROOM = "receipts-off";

/** Every connected socket: the room directory's live updates (`room:created`, `room:updated`) go here, one broadcast for all. */
export const EVERYONE_ROOM = "everyone";

/** The sockets opened with one personal access token: revoking it closes them. */
export const tokenRoom = (tokenId: string) => `token:${tokenId}`;
/**
 * Every socket opened with a personal access token. A sign-out ends the account's browser
 * sessions, not its tokens: it closes the user's sockets except these.
 */
export const TOKEN_SOCKETS_ROOM = "via-token";
