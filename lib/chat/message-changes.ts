// Changes to a stored message: edit, delete (for everyone, or for me), react, pin. Each takes a
// new conversation version (not a new seq), so sync returns the changed message to every member.
//
// Each change is decided once as an idempotent intent ("emoji 👍 by Bob is there", "the text is
// X") and written by a compare-and-set on the message's version: a concurrent change from any
// process makes it fail, and the intent is applied again to the message as it is now, at a fresh
// version. Within a process it runs in the conversation's queue, so those retries only happen
// between processes.
import { DELETED_PREVIEW } from "../schemas/previews";
import type { ObjectId } from "mongodb";
import { raiseConversationVersion, setLastMessagePreview } from "../db/conversations";
import { scheduleIndexing } from "../search/indexer";
import { getMembership } from "../db/memberships";
import { getMessageById, updateMessageAtVersion, type MessageChange, type MessageDoc } from "../db/messages";
import { getServerEnv } from "../env";
import { AppError, notFound } from "../errors";
import type { MessageDto } from "../schemas/dto";
import { deleteMessageSchema, editMessageSchema, pinMessageSchema, reactSchema } from "../schemas/message";
import { messagePreview, toMessageDto } from "./dto";
import { removeFiles } from "./files";
import { oid, parseInput, type Actor } from "./ids";
import { requireWritable } from "./membership";
import { serialize, writeAtNextVersion } from "./sequencer";

/**
 * What a change did, for the transports to fan out. `audience` "member" goes to the actor's own
 * sockets only (delete for me); "conversation" to every member. `changed` is false for a repeat.
 */
export type MessageChangeResult = { message: MessageDto; changed: boolean; audience: "conversation" | "member"; userId: string };

/** What a transport fans out for a change (`userId` set: to that member only); nothing for a repeat. */
export function messageUpdateOf(result: MessageChangeResult): { message: MessageDto; userId: string | null } | null {
  if (!result.changed) return null;
  return { message: result.message, userId: result.audience === "member" ? result.userId : null };
}


type Intent = {
  /** Whether the stored message already shows the change (then there is nothing to write). */
  holds: (doc: MessageDoc) => boolean;
  /** The fields to set, computed from the message as it is now. */
  change: (doc: MessageDoc) => MessageChange;
};

/** The message, if the user may see it: a message of a conversation they are not in looks missing. */
async function requireVisibleMessage(messageId: string, userId: ObjectId, { writable = true } = {}): Promise<MessageDoc> {
  const message = await getMessageById({ id: oid(messageId) });
  if (!message) throw notFound("Message");
  if (!(await getMembership({ conversationId: message.conversationId, userId }))) throw notFound("Message");
  // An archived room is read-only; hiding a message for oneself changes nothing anyone else sees.
  if (writable) await requireWritable({ conversationId: message.conversationId });
  return message;
}

function requireOwnWithinWindow(message: MessageDoc, userId: ObjectId, what: string): void {
  if (message.kind !== "text" || !message.senderId.equals(userId)) throw new AppError("FORBIDDEN", `You can only ${what} your own messages`);
  const windowMs = getServerEnv().MESSAGE_EDIT_WINDOW_SECONDS * 1000;
  if (Date.now() - message.createdAt.getTime() > windowMs) {
    const span = windowMs >= 120_000 ? `${Math.round(windowMs / 60_000)} minutes` : `${windowMs / 1000} seconds`;
    throw new AppError("FORBIDDEN", `Messages can only be ${what === "edit" ? "edited" : "deleted for everyone"} within ${span} of sending`);
  }
}

function requireNotDeleted(message: MessageDoc): void {
  if (message.deletedAt !== null) throw new AppError("FORBIDDEN", "This message was deleted");
}

/** Applies `intent` to the message at a fresh version, in its conversation's queue. */
async function apply(message: MessageDoc, intent: Intent): Promise<{ doc: MessageDoc; changed: boolean }> {
  const { conversationId } = message;
  const write = () =>
    writeAtNextVersion({
      conversationId,
      write: async (version) => {
        const current = await getMessageById({ id: message._id });
        if (!current) throw notFound("Message");
        if (intent.holds(current)) return { doc: current, changed: false };
        // Positions remembered by this process are behind another process's change to this very
        // message: a write at a version not above the message's own would leave its version as it
        // was, and a concurrent compare-and-set on that version could then overwrite this change.
        if (version <= current.version) return null;
        const written = await updateMessageAtVersion({ current, version, change: intent.change(current) });
        return written && intent.holds(written) ? { doc: written, changed: true } : null;
      },
    });
  return serialize(`conversation:${conversationId.toHexString()}`, async () => {
    const outcome = await write();
    if (outcome.changed) {
      await raiseConversationVersion({ id: conversationId, version: outcome.doc.version });
      scheduleIndexing(conversationId, [outcome.doc]);
    }
    return outcome;
  });
}

function result(doc: MessageDoc, changed: boolean, userId: string, audience: MessageChangeResult["audience"] = "conversation"): MessageChangeResult {
  return { message: toMessageDto(doc, audience === "member" ? userId : undefined), changed, audience, userId };
}

/** Edits one's own text message within the edit window; it is marked edited. */
export async function editMessage({ userId, input }: Actor & { input: unknown }): Promise<MessageChangeResult> {
  const data = parseInput(editMessageSchema, input);
  const me = oid(userId);
  const message = await requireVisibleMessage(data.messageId, me);
  requireOwnWithinWindow(message, me, "edit");
  requireNotDeleted(message);
  const { doc, changed } = await apply(message, {
    holds: (m) => m.text === data.text || m.deletedAt !== null,
    change: () => ({ text: data.text, editedAt: new Date() }),
  });
  requireNotDeleted(doc);
  if (changed) await setLastMessagePreview({ id: doc.conversationId, seq: doc.seq, preview: messagePreview(doc) });
  return result(doc, changed, userId);
}

/**
 * For everyone: one's own message, within the window; its text, reactions and pin are gone and
 * every member sees "This message was deleted". For me: any message, hidden on all my devices.
 */
export async function deleteMessage({ userId, input }: Actor & { input: unknown }): Promise<MessageChangeResult> {
  const data = parseInput(deleteMessageSchema, input);
  const me = oid(userId);
  const message = await requireVisibleMessage(data.messageId, me, { writable: data.for !== "me" });
  if (data.for === "me") {
    const { doc, changed } = await apply(message, {
      holds: (m) => m.hiddenFor.some((id) => id.equals(me)),
      change: (m) => ({ hiddenFor: [...m.hiddenFor, me] }),
    });
    return result(doc, changed, userId, "member");
  }
  if (message.deletedAt === null) requireOwnWithinWindow(message, me, "delete");
  else if (!message.senderId.equals(me)) throw new AppError("FORBIDDEN", "You can only delete your own messages");
  // Its files go first, for everyone: from then on no link to them reads anything, even should the
  // change below fail (a retry finds them gone and finishes it).
  await removeFiles((message.attachments ?? []).map((attachment) => attachment.fileId));
  const { doc, changed } = await apply(message, {
    holds: (m) => m.deletedAt !== null,
    change: (m) => ({ text: "", deletedAt: new Date(), reactions: [], pinnedAt: null, pinnedBy: null, ...(m.attachments?.length ? { attachments: [] } : {}) }),
  });
  if (changed) await setLastMessagePreview({ id: doc.conversationId, seq: doc.seq, preview: DELETED_PREVIEW });
  return result(doc, changed, userId);
}

/** Adds or removes one's own reaction (toggles unless `add` says which). */
export async function reactToMessage({ userId, input }: Actor & { input: unknown }): Promise<MessageChangeResult> {
  const data = parseInput(reactSchema, input);
  const me = oid(userId);
  const message = await requireVisibleMessage(data.messageId, me);
  requireReactable(message);
  const mine = (m: MessageDoc) => m.reactions.some((r) => r.emoji === data.emoji && r.userId.equals(me));
  // Decided once, against what the user saw: retries then re-apply the same outcome, never a second toggle.
  const add = data.add ?? !mine(message);
  const { doc, changed } = await apply(message, {
    holds: (m) => m.deletedAt !== null || mine(m) === add,
    change: (m) => ({
      reactions: add ? [...m.reactions, { emoji: data.emoji, userId: me }] : m.reactions.filter((r) => !(r.emoji === data.emoji && r.userId.equals(me))),
    }),
  });
  requireNotDeleted(doc);
  return result(doc, changed, userId);
}

const REACTIONS_MAX = 200;

function requireReactable(message: MessageDoc): void {
  requireNotDeleted(message);
  if (message.kind !== "text") throw new AppError("FORBIDDEN", "Only text messages take reactions and pins");
  if (message.reactions.length >= REACTIONS_MAX) throw new AppError("FORBIDDEN", "This message has too many reactions");
}

/** Any member pins or unpins a message; the conversation shows its pins in a bar. */
export async function pinMessage({ userId, input }: Actor & { input: unknown }): Promise<MessageChangeResult> {
  const data = parseInput(pinMessageSchema, input);
  const me = oid(userId);
  const message = await requireVisibleMessage(data.messageId, me);
  requireNotDeleted(message);
  if (message.kind !== "text") throw new AppError("FORBIDDEN", "Only text messages take reactions and pins");
  const { doc, changed } = await apply(message, {
    holds: (m) => m.deletedAt !== null || (m.pinnedAt != null) === data.pinned,
    change: () => (data.pinned ? { pinnedAt: new Date(), pinnedBy: me } : { pinnedAt: null, pinnedBy: null }),
  });
  requireNotDeleted(doc);
  return result(doc, changed, userId);
}
