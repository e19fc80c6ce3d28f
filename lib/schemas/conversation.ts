import { z } from "./zod";
import { idSchema } from "./common";
import { UPLOAD_ACTIVITIES } from "./file";
import { isVisibleText, isWellFormed, wellFormedError } from "./text";

export const GROUP_NAME_MAX = 100;
export const GROUP_MEMBERS_MAX = 256;

export const groupNameSchema = z
  .string()
  .trim()
  // A name of invisible characters only would show as a blank row in everyone's list.
  .refine(isVisibleText, { error: "Enter a group name" })
  .max(GROUP_NAME_MAX, { error: `Group name must be at most ${GROUP_NAME_MAX} characters` })
  .refine(isWellFormed, wellFormedError);

export const createConversationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("direct"), userId: idSchema }),
  z.object({
    kind: z.literal("group"),
    name: groupNameSchema,
    memberIds: z
      .array(idSchema)
      .min(2, { error: "Pick at least two other people for a group" })
      .max(GROUP_MEMBERS_MAX),
  }),
]);
export type CreateConversationInput = z.infer<typeof createConversationSchema>;

export const conversationRefSchema = z.object({ conversationId: idSchema });
export type ConversationRef = z.infer<typeof conversationRefSchema>;

export const renameConversationSchema = z.object({ conversationId: idSchema, name: groupNameSchema });
export type RenameConversationInput = z.infer<typeof renameConversationSchema>;

/** Adding or removing one member; removing oneself is leaving. */
export const memberChangeSchema = z.object({ conversationId: idSchema, userId: idSchema });
export type MemberChangeInput = z.infer<typeof memberChangeSchema>;

/** The owner makes a member an admin, or an admin a member again. */
export const memberRoleSchema = z.object({ conversationId: idSchema, userId: idSchema, role: z.enum(["admin", "member"], { error: 'role must be "admin" or "member"' }) });
export type MemberRoleInput = z.infer<typeof memberRoleSchema>;

/**
 * "I am typing in this conversation" (or stopped). Volatile: never stored. `activity`: what is
 * being sent instead of typed while a message's files upload ("Ana is sending a photo…").
 */
export const typingSchema = z.object({
  conversationId: idSchema,
  typing: z.boolean(),
  activity: z.enum(UPLOAD_ACTIVITIES, { error: `activity must be one of ${UPLOAD_ACTIVITIES.join(", ")}` }).optional(),
});
export type TypingInput = z.infer<typeof typingSchema>;

/** A tab came into view or left it: whether its person sees new messages as they come (no push then). */
export const visibilitySchema = z.object({ visible: z.boolean({ error: "visible must be true or false" }) }, { error: "expected an object { visible }" });
export type VisibilityInput = z.infer<typeof visibilitySchema>;
