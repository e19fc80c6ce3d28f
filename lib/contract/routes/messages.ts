// Changing a stored message, and searching: each the twin of a socket request.
import { z } from "../../schemas/zod";
import { messageDtoSchema, searchResultSchema } from "../../schemas/dto";
import { deleteMessageSchema, editMessageSchema, reactSchema } from "../../schemas/message";
import { searchSchema } from "../../schemas/search";
import { json, route, type HttpRoute } from "../http-route";

const message = z.strictObject({ message: messageDtoSchema });
const inPath = ["messageId"] as const;
const changed = (description: string) => [json(200, message, description)];

export const messageRoutes: HttpRoute[] = [
  route("PATCH", "/api/messages/{id}", {
    area: "Messages",
    summary: "Edit your message",
    description: "Your own messages, within the edit window; the same rules as `message:edit`.",
    body: { schema: editMessageSchema, fromPath: inPath },
    responses: changed("The message, marked `editedAt`, with a new `version`."),
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["message:updated"],
  }),
  route("DELETE", "/api/messages/{id}", {
    area: "Messages",
    summary: "Delete a message for everyone, or for yourself",
    description:
      "`for=everyone`: your own message, within the window; everyone gets a tombstone (`deletedAt`, no text). `for=me`: any message; `hidden: true`, said to your own sockets only.",
    query: { schema: z.object({ for: deleteMessageSchema.shape.for }) },
    responses: changed("The message as it now is for you."),
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["message:updated"],
  }),
  route("POST", "/api/messages/{id}/reactions", {
    area: "Messages",
    summary: "React with an emoji, or take it back",
    description: "Toggles your reaction; `add` says which way, so a retried request cannot toggle twice.",
    body: { schema: reactSchema, fromPath: inPath },
    responses: changed("The message with its `reactions`."),
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["message:updated"],
  }),
  route("PUT", "/api/messages/{id}/pin", {
    area: "Messages",
    summary: "Pin a message",
    description: "Any member may.",
    responses: changed("The message with `pinnedAt` and `pinnedBy`."),
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["message:updated"],
  }),
  route("DELETE", "/api/messages/{id}/pin", {
    area: "Messages",
    summary: "Unpin a message",
    description: "Any member may.",
    responses: changed("The message, unpinned."),
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["message:updated"],
  }),
  route("GET", "/api/search", {
    area: "Messages",
    summary: "Search messages",
    description:
      "Messages you may read now, newest first, a page at a time (`cursor` from the last page). Operators in `q`: `from:`, `in:`, `has:file`, `before:`, `after:`, \"a phrase\". Same as the socket's `search`.",
    query: { schema: searchSchema },
    responses: [json(200, searchResultSchema, "A page of results.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
];
