"use server";

// The HTTP fallback for the browser: the same lib/chat calls the socket handlers make.
// Writes are announced to the socket server after the response, so socket users still see them live.
import { after } from "next/server";
import { runAction } from "@/lib/auth/adapters";
import {
  createConversation,
  listConversations,
  listMessages,
  markDelivered,
  markRead,
  markUnread,
  muteConversation,
  searchMessages,
  searchUsers,
  sendMessage,
  syncMessages,
  updateSettings,
  type ReceiptResult,
} from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

export async function sendMessageAction(input: unknown) {
  return runAction("sendMessage", async (user) => {
    const { message, duplicate } = await sendMessage({ userId: user.id, input, senderName: user.name });
    // Repeats too: see socket-server/handlers/messages.ts.
    after(() => announce({ type: "message:created", message, duplicate }));
    return { message };
  }, { limit: "messages" });
}

export async function syncAction(input: unknown) {
  return runAction("sync", (user) => syncMessages({ userId: user.id, input }));
}

export async function loadMessagesAction(input: unknown) {
  return runAction("loadMessages", (user) => listMessages({ userId: user.id, input }));
}

export async function listConversationsAction() {
  return runAction("listConversations", (user) => listConversations({ userId: user.id }));
}

export async function createConversationAction(input: unknown) {
  return runAction("createConversation", async (user) => {
    const result = await createConversation({ userId: user.id, input });
    // Awaited, unlike message announcements: members' sockets must be in the new room before
    // the creator can send into it, or the first message would reach them only through sync.
    if (result.created) await announce({ type: "conversation:created", conversation: result.conversation, memberIds: result.memberIds });
    return { conversation: result.conversation };
  });
}

/** Message search, when the socket is down: the same core as GET /api/search and the `search` request. */
export async function searchMessagesAction(input: unknown) {
  return runAction("searchMessages", (user) => searchMessages({ userId: user.id, input }), { limit: "searches" });
}

export async function searchUsersAction(input: unknown) {
  return runAction("searchUsers", async (user) => ({ users: await searchUsers({ userId: user.id, input }) }));
}

/** After the response, like messages: the watermark is already stored, so a lost announcement only delays a tick. */
function announceReceipt({ changed, ...receipt }: ReceiptResult): void {
  if (changed) after(() => announce({ type: "receipt", ...receipt }));
}

export async function markReadAction(input: unknown) {
  return runAction("markRead", async (user) => {
    const result = await markRead({ userId: user.id, input });
    announceReceipt(result);
    return { lastReadSeq: result.readSeq };
  });
}

export async function markDeliveredAction(input: unknown) {
  return runAction("markDelivered", async (user) => {
    const result = await markDelivered({ userId: user.id, input });
    announceReceipt(result);
    return { lastDeliveredSeq: result.deliveredSeq };
  });
}

/** "Mark as unread" or undo it; the member's other tabs hear it from the socket server. */
export async function markUnreadAction(input: unknown) {
  return runAction("markUnread", async (user) => {
    const { changed, ...result } = await markUnread({ userId: user.id, input });
    if (changed) after(() => announce({ type: "conversation:marked", ...result }));
    return { markedUnread: result.markedUnread };
  });
}

/** The caller's own settings (read receipts on or off); their other tabs hear the change. */
export async function updateSettingsAction(input: unknown) {
  return runAction("updateSettings", async (user) => {
    const { settings, changed } = await updateSettings({ userId: user.id, input });
    if (changed) after(() => announce({ type: "settings:updated", userId: user.id, ...settings }));
    return { settings };
  });
}

/** Mutes or unmutes a conversation for the caller; their other tabs hear it from the socket server. */
export async function muteConversationAction(input: unknown) {
  return runAction("muteConversation", async (user) => {
    const { changed, ...result } = await muteConversation({ userId: user.id, input });
    if (changed) after(() => announce({ type: "conversation:muted", ...result }));
    return { muted: result.muted };
  });
}
