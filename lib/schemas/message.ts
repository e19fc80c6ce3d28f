import { z } from "./zod";
import { clientMsgIdSchema, idSchema, seqSchema } from "./common";
import { MESSAGE_MAX, PAGE_MAX, PAGE_SIZE } from "./limits";
import { isVisibleText, isWellFormed, wellFormedError } from "./text";
import { attachmentIdsSchema } from "./file";

export { MESSAGE_MAX, PAGE_MAX, PAGE_SIZE };
export const SYNC_MAX = 500;
export const MENTIONS_MAX = 50;

export const messageTextSchema = z
  .string()
  .trim()
  // Empty includes "only invisible characters" (lib/schemas/text.ts): "\u200b" is no message either.
  .refine(isVisibleText, { error: "Message cannot be empty" })
  .max(MESSAGE_MAX, { error: `Message is too long (at most ${MESSAGE_MAX} characters)` })
  .refine(isWellFormed, wellFormedError);

/** A caption under files: may be empty (only invisible characters count as empty), otherwise a message text. */
export const captionSchema = z
  .string()
  .trim()
  .max(MESSAGE_MAX, { error: `Message is too long (at most ${MESSAGE_MAX} characters)` })
  .refine(isWellFormed, wellFormedError)
  .transform((text) => (isVisibleText(text) ? text : ""));

const sendFields = z.object({
  conversationId: idSchema,
  clientMsgId: clientMsgIdSchema,
  // Parsed below, as a message text or as a caption; the meta tells the documents what it is.
  text: z
    .unknown()
    .optional()
    .meta({ type: "string", maxLength: MESSAGE_MAX, description: "The message; with attachments, their caption, which may be empty or left out." }),
  replyTo: idSchema.optional(),
  /** Members this message mentions (@name); the server checks each belongs to the conversation. */
  mentions: z.array(idSchema).max(MENTIONS_MAX, { error: `At most ${MENTIONS_MAX} mentions per message` }).optional(),
  /** Uploaded files (POST /api/uploads) the message carries, by id, in the order shown. */
  attachments: attachmentIdsSchema.optional(),
});

export const sendMessageSchema = sendFields.transform((data, ctx) => {
  const text = data.attachments ? captionSchema.safeParse(data.text ?? "") : messageTextSchema.safeParse(data.text);
  if (!text.success) {
    for (const issue of text.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: ["text", ...issue.path] });
    return z.NEVER;
  }
  return { ...data, text: text.data };
});
export type SendMessageInput = z.infer<typeof sendMessageSchema>;

// Numbers are numbers here, on every transport; only the HTTP routes turn query strings into them.
// At most one of before (older page), after (newer page, ascending from a window that stops short
// of the end) and around (a window centred on a seq: a search result, opened where it was said).
const positiveSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const historySchema = z
  .object({
    conversationId: idSchema,
    before: positiveSeq.optional(),
    after: seqSchema.optional(),
    around: positiveSeq.optional(),
    limit: z.number().int().min(1).max(PAGE_MAX).default(PAGE_SIZE),
  })
  .refine((data) => [data.before, data.after, data.around].filter((v) => v !== undefined).length <= 1, {
    error: "Give at most one of before, after and around",
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

// ── Changes to a stored message (edit, delete, react, pin) ──────────────────────────────────

// One emoji as Unicode recommends it for general interchange (RGI): a single pictograph, a
// flag, a keycap, a skin tone or a ZWJ sequence; nothing else, and never two. Built with
// `new RegExp` because the `v` flag (needed for \p{RGI_Emoji}) is newer than the TS target.
const SINGLE_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");
export const EMOJI_MAX = 32;

export const emojiSchema = z
  .string()
  .max(EMOJI_MAX, { error: "must be a single emoji" })
  .refine((value) => SINGLE_EMOJI.test(value), { error: "must be a single emoji" });

export const editMessageSchema = z.object({ messageId: idSchema, text: messageTextSchema });
export type EditMessageInput = z.infer<typeof editMessageSchema>;

export const deleteMessageSchema = z.object({ messageId: idSchema, for: z.enum(["me", "everyone"], { error: 'must be "me" or "everyone"' }) });
export type DeleteMessageInput = z.infer<typeof deleteMessageSchema>;

/** Toggles one's own reaction; `add` (optional) says which way, so a retried request cannot toggle twice. */
export const reactSchema = z.object({ messageId: idSchema, emoji: emojiSchema, add: z.boolean().optional() });
export type ReactInput = z.infer<typeof reactSchema>;

export const pinMessageSchema = z.object({ messageId: idSchema, pinned: z.boolean() });
export type PinMessageInput = z.infer<typeof pinMessageSchema>;
