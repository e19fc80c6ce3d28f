// Public rooms: the directory, a preview, creating and changing rooms, joining and leaving.
import { z } from "../../schemas/zod";
import { conversationDtoSchema, conversationSummarySchema, directoryRoomDtoSchema, roomDtoSchema, roomPreviewDtoSchema } from "../../schemas/dto";
import { createRoomSchema, directorySchema, updateRoomSchema } from "../../schemas/room";
import { json, noContent, route, type HttpRoute } from "../http-route";

const joined = z.strictObject({ conversation: conversationDtoSchema });

export const roomRoutes: HttpRoute[] = [
  route("GET", "/api/rooms", {
    area: "Rooms",
    summary: "The room directory",
    description: "Listed rooms (public, not archived), at most 100, each with whether you joined it.",
    query: { schema: directorySchema },
    responses: [json(200, z.strictObject({ rooms: z.array(directoryRoomDtoSchema) }), "The rooms found.")],
    errors: ["VALIDATION"],
  }),
  route("POST", "/api/rooms", {
    area: "Rooms",
    summary: "Create a room",
    description: "You become its owner and only member. With ROOM_CREATION=admins, server admins only. A public room reaches every directory at once.",
    body: { schema: createRoomSchema },
    responses: [json(201, z.strictObject({ conversation: conversationDtoSchema, room: roomDtoSchema }), "Created.")],
    errors: ["VALIDATION"],
    announces: ["room:created", "conversation:created"],
  }),
  route("GET", "/api/rooms/{id}", {
    area: "Rooms",
    summary: "Preview a room",
    description: "Read-only: the room and its last 30 messages, before joining. A private or archived room you are not in is NOT_FOUND.",
    responses: [json(200, roomPreviewDtoSchema, "The preview.")],
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  route("PATCH", "/api/rooms/{id}", {
    area: "Rooms",
    summary: "Change a room",
    description: "Its name, topic, whether it is public, whether it is archived (read-only). The room's owner and admins, and server admins.",
    body: { schema: updateRoomSchema, fromPath: ["conversationId"] },
    responses: [
      json(200, z.strictObject({ conversation: conversationSummarySchema, room: roomDtoSchema.nullable().meta({ description: "The directory's view, when the room is or was listed." }) }), "The room as it now is."),
    ],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["conversation:updated", "room:updated", "message:created"],
  }),
  route("POST", "/api/rooms/{id}/join", {
    area: "Rooms",
    summary: "Join a room",
    description: "Answered once every socket of yours is in it. Joining again changes nothing (200).",
    responses: [json(201, joined, "Joined."), json(200, joined, "Already a member.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["room:joined", "conversation:created", "conversation:updated", "room:updated", "message:created"],
  }),
  route("POST", "/api/rooms/{id}/leave", {
    area: "Rooms",
    summary: "Leave a room",
    description: "Answered once every socket of yours is out of it; an owner hands the room over.",
    responses: [noContent("Left.")],
    errors: ["VALIDATION", "NOT_FOUND"],
    announces: ["room:left", "conversation:removed", "conversation:updated", "room:updated", "message:created"],
  }),
];
