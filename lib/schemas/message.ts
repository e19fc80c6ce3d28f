import { z } from "./zod";
import { clientMsgIdSchema, idSchema, seqSchema } from "./common";
import { isWellFormed, wellFormedError } from "./text";

export const MESSAGE_MAX = 4000;
export const PAGE_SIZE = 50;
export const PAGE_MAX = 100;
export const SYNC_MAX = 500;
export const MENTIONS_MAX = 50;

export const messageTextSchema = z
  .string()
  .trim()
  .min(1, { error: "Message cannot be empty" })
  .max(MESSAGE_MAX, { error: `Message is too long (at most ${MESSAGE_MAX} characters)` })
  .refine(isWellFormed, wellFormedError);

export const sendMessageSchema = z.object({
  conversationId: idSchema,
  clientMsgId: clientMsgIdSchema,
  text: messageTextSchema,
  replyTo: idSchema.optional(),
  /** Members this message mentions (@name); the server checks each belongs to the conversation. */
  mentions: z.array(idSchema).max(MENTIONS_MAX, { error: `At most ${MENTIONS_MAX} mentions per message` }).optional(),
});
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

// Numbers are numbers here, on every transport; only the HTTP routes turn query strings into them.
export const historySchema = z.object({
  conversationId: idSchema,
  before: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.number().int().min(1).max(PAGE_MAX).default(PAGE_SIZE),
});
export type HistoryInput = z.infer<typeof historySchema>;

export const syncSchema = z.object({
  conversationId: idSchema,
  sinceVersion: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type SyncInput = z.infer<typeof syncSchema>;

export const markReadSchema = z.object({ conversationId: idSchema, seq: seqSchema });
export type MarkReadInput = z.infer<typeof markReadSchema>;

export const markUnreadSchema = z.object({ conversationId: idSchema, unread: z.boolean() });
export type MarkUnreadInput = z.infer<typeof markUnreadSchema>;

export const muteSchema = z.object({ conversationId: idSchema, muted: z.boolean() });
export type MuteInput = z.infer<typeof muteSchema>;

export const markDeliveredSchema = z.object({ conversationId: idSchema, seq: seqSchema });
export type MarkDeliveredInput = z.infer<typeof markDeliveredSchema>;
