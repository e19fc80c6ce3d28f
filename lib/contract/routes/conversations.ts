// Conversations, their members, and reading their messages (the HTTP twins of the socket's
// requests: the same schemas, the same core, the same answers).
import { z } from "../../schemas/zod";
import { createConversationSchema, memberChangeSchema, memberRoleSchema, renameConversationSchema } from "../../schemas/conversation";
import { conversationDtoSchema, conversationSummarySchema, messageDtoSchema, messagePageSchema, syncResultSchema } from "../../schemas/dto";
import { historySchema, markDeliveredSchema, markReadSchema, markUnreadSchema, muteSchema, sendMessageSchema, syncSchema } from "../../schemas/message";
import { json, noContent, route, type HttpRoute } from "../http-route";

const conversation = z.strictObject({ conversation: conversationDtoSchema });
const summary = z.strictObject({ conversation: conversationSummarySchema });
const message = z.strictObject({ message: messageDtoSchema });
const inPath = ["conversationId"] as const;

export const conversationRoutes: HttpRoute[] = [
  route("GET", "/api/conversations", {
    area: "Conversations",
    summary: "List your conversations",
    description: "Every conversation you are a member of, latest activity first, with your own unread counts and watermarks.",
    responses: [json(200, z.strictObject({ conversations: z.array(conversationDtoSchema) }), "Your conversations.")],
  }),
  route("POST", "/api/conversations", {
    area: "Conversations",
    summary: "Open a direct conversation or create a group",
    description: "`{ kind: \"direct\", userId }` opens (or finds) the one direct conversation with that person; `{ kind: \"group\", name, memberIds }` creates a group with you as its owner.",
    body: { schema: createConversationSchema },
    responses: [json(201, conversation, "Created."), json(200, conversation, "The direct conversation already existed.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:created", "presence:snapshot"],
  }),
  route("PATCH", "/api/conversations/{id}", {
    area: "Conversations",
    summary: "Rename a group",
    description: "Any member may; direct conversations have no name. The change is said in the group as a system message.",
    body: { schema: renameConversationSchema, fromPath: inPath },
    responses: [json(200, summary, "The group as every member sees it.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:updated", "message:created"],
  }),
  route("POST", "/api/conversations/{id}/members", {
    area: "Conversations",
    summary: "Add a member to a group",
    description: "Any member may. Adding someone already in it changes nothing (200).",
    body: { schema: memberChangeSchema, fromPath: inPath },
    responses: [json(201, summary, "Added."), json(200, summary, "Already a member.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:created", "conversation:updated", "message:created"],
  }),
  route("DELETE", "/api/conversations/{id}/members/{userId}", {
    area: "Conversations",
    summary: "Remove a member, or leave",
    description: "The owner removes anyone, an admin plain members; your own id leaves the group. The removed member hears `conversation:removed` and nothing more from it.",
    responses: [noContent("Removed.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:removed", "conversation:updated", "message:created"],
  }),
  route("PATCH", "/api/conversations/{id}/members/{userId}", {
    area: "Conversations",
    summary: "Make a member an admin, or a member again",
    description: "The owner only.",
    body: { schema: memberRoleSchema, fromPath: ["conversationId", "userId"] },
    responses: [json(200, summary, "The group with the new roles.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:updated"],
  }),
  route("GET", "/api/conversations/{id}/messages", {
    area: "Messages",
    summary: "A page of history",
    description:
      "The newest page by default; `before` an older page, `after` a newer one, `around` a window centred on a seq (a search result). At most one of the three. The newest page and `around` windows also carry every pinned message.",
    query: { schema: historySchema, fromPath: inPath },
    responses: [json(200, messagePageSchema, "A page of messages, in seq order.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  route("POST", "/api/conversations/{id}/messages", {
    area: "Messages",
    summary: "Send a message",
    description:
      "Same semantics as the socket's `message:send`: `clientMsgId` (a UUID made once per message) makes it idempotent, so a repeat answers the stored message with 200. With `attachments` (uploaded file ids), `text` is their caption and may be empty.",
    body: { schema: sendMessageSchema, fromPath: inPath },
    responses: [json(201, message, "Stored."), json(200, message, "A repeat of a clientMsgId: the message stored the first time.")],
    errors: ["VALIDATION", "NOT_FOUND", "CONFLICT"],
    announces: ["message:created"],
  }),
  route("GET", "/api/conversations/{id}/sync", {
    area: "Messages",
    summary: "Every change since a version",
    description: "Messages created or changed after `since` (a `version` from a page or an earlier sync), deletions as tombstones. Repeat with the answer's `version` while `hasMore`.",
    query: { schema: z.object({ since: syncSchema.shape.sinceVersion.optional() }) },
    responses: [json(200, syncResultSchema, "The changes, and the version to sync from next.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  route("POST", "/api/conversations/{id}/delivered", {
    area: "Conversations",
    summary: "Say this client holds everything up to a seq",
    description: "Same semantics as `conversation:delivered`: drives the sender's delivered tick. Watermarks only rise. Part of reading: a read-only token may.",
    scope: "read",
    body: { schema: markDeliveredSchema, fromPath: inPath },
    responses: [json(200, z.strictObject({ lastDeliveredSeq: z.int().min(0) }), "Your delivered watermark.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["receipt"],
  }),
  route("POST", "/api/conversations/{id}/read", {
    area: "Conversations",
    summary: "Mark read up to a seq",
    description: "Same semantics as `conversation:read`: raises your read (and delivered) watermark and clears a mark as unread.",
    body: { schema: markReadSchema, fromPath: inPath },
    responses: [json(200, z.strictObject({ lastReadSeq: z.int().min(0) }), "Your read watermark.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["receipt"],
  }),
  route("POST", "/api/conversations/{id}/unread", {
    area: "Conversations",
    summary: "Mark as unread, or undo it",
    description: "For you alone; reading the conversation clears it too.",
    body: { schema: markUnreadSchema, fromPath: inPath },
    responses: [json(200, z.strictObject({ markedUnread: z.boolean() }), "The mark as it now is.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:marked"],
  }),
  route("POST", "/api/conversations/{id}/mute", {
    area: "Conversations",
    summary: "Mute or unmute",
    description: "For you alone: a muted conversation notifies nobody.",
    body: { schema: muteSchema, fromPath: inPath },
    responses: [json(200, z.strictObject({ muted: z.boolean() }), "Whether it is muted now.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:muted"],
  }),
];
