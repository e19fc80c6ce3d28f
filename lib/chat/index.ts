// The domain core: every write and read of a conversation goes through one of these functions,
// called with ({ userId, input }) by the socket handlers, server actions and route handlers alike.
export { authenticate, connectionStates, currentSessionEpoch, endAllSessions, registerUser, searchUsers } from "./users";
export { conversationIdsOf, createConversation, getConversation, listConversationIds, listConversations } from "./conversations";
export { listMessages, sendMessage, syncMessages } from "./messages";
export { searchMessages } from "./search";
export { markDelivered, markRead, markUnread, muteConversation } from "./receipts";
export type { CreatedConversation } from "./conversations";
export type { SentMessage } from "./messages";
export type { MarkUnreadResult, ReceiptResult } from "./receipts";
export { addMember, removeMember, renameConversation, setMemberRole } from "./groups";
export type { GroupChange } from "./groups";
export { isMemberOf } from "./membership";
export { deleteMessage, editMessage, messageUpdateOf, pinMessage, reactToMessage } from "./message-changes";
export type { MessageChangeResult } from "./message-changes";
export { contactsAmong, contactsOf, lastSeenOf, listContacts, memberIdsOf, recordLastSeen } from "./presence";
export type { LastSeen } from "./presence";
export type { ConnectionState } from "./users";
export { authorizeTyping, readVisibility } from "./typing";
export { getSettings, updateSettings } from "./settings";
export { answerCall, connectCall, finish, hangupCall, inviteCall, rejectCall, resumeCall, routeSignal, toCallDto, CALL_LEASE_MS } from "./calls";
export { callEntryText, recordCall } from "./call-entry";
export type { CallChange } from "./calls";
export { createRoom, joinRoom, leaveRoom, listDirectory, previewRoom, updateRoom } from "./rooms";
export type { CreatedRoom } from "./rooms";
export { getOwnRole, setAdminRole } from "./admins";
export type { RoleView } from "./admins";
export { listPushDevices, removePushDevice, subscribePush } from "./push-subscriptions";
