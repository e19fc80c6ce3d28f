import { z } from "./zod";
import { idSchema } from "./common";
import { ROOM_NAME_MAX, ROOM_TOPIC_MAX } from "./limits";
import { isVisibleText, isWellFormed, wellFormedError } from "./text";

export { ROOM_NAME_MAX, ROOM_TOPIC_MAX };

export const roomNameSchema = z
  .string({ error: "name must be a string" })
  .trim()
  // A name of invisible characters only would show as a blank row in the directory.
  .refine(isVisibleText, { error: "Enter a room name" })
  .max(ROOM_NAME_MAX, { error: `Room name must be at most ${ROOM_NAME_MAX} characters` })
  .refine(isWellFormed, wellFormedError);

export const roomTopicSchema = z
  .string({ error: "topic must be a string" })
  .trim()
  .max(ROOM_TOPIC_MAX, { error: `Topic must be at most ${ROOM_TOPIC_MAX} characters` })
  .refine(isWellFormed, wellFormedError);

const flag = (name: string) => z.boolean({ error: `${name} must be true or false` });

export const createRoomSchema = z.object({
  name: roomNameSchema,
  topic: roomTopicSchema.default(""),
  public: flag("public").default(true),
});
export type CreateRoomInput = z.infer<typeof createRoomSchema>;

/** Join, leave, preview: the room alone. */
export const roomRefSchema = z.object({ conversationId: idSchema });
export type RoomRef = z.infer<typeof roomRefSchema>;

/** What a room's owners and admins (and server admins) change; at least one field. */
export const updateRoomSchema = z
  .object({
    conversationId: idSchema,
    name: roomNameSchema.optional(),
    topic: roomTopicSchema.optional(),
    public: flag("public").optional(),
    archived: flag("archived").optional(),
  })
  .refine((data) => data.name !== undefined || data.topic !== undefined || data.public !== undefined || data.archived !== undefined, {
    error: "Give at least one of name, topic, public, archived",
  });
export type UpdateRoomInput = z.infer<typeof updateRoomSchema>;

export const DIRECTORY_SORTS = ["activity", "size"] as const;

export const directorySchema = z.object({
  q: z.string({ error: "q must be a string" }).trim().max(100, { error: "q must be at most 100 characters" }).refine(isWellFormed, wellFormedError).default(""),
  sort: z.enum(DIRECTORY_SORTS, { error: 'sort must be "activity" or "size"' }).default("activity"),
});
export type DirectoryInput = z.infer<typeof directorySchema>;

/** A server admin grants or takes back another user's admin role. */
export const adminRoleSchema = z.object({ userId: idSchema, admin: flag("admin") });
export type AdminRoleInput = z.infer<typeof adminRoleSchema>;
