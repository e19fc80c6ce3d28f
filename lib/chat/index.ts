// The domain core: every write and read of a conversation goes through one of these functions,
// called with ({ userId, input }) by the socket handlers, server actions and route handlers alike.
export { authenticate, registerUser, searchUsers } from "./users";
export { createConversation, getConversation, listConversationIds, listConversations } from "./conversations";
export { listMessages, markRead, sendMessage, syncMessages } from "./messages";
export type { CreatedConversation } from "./conversations";
export type { ReadResult, SentMessage } from "./messages";
