// Files after their upload: a message claiming them, members reading them, and their removal (a
// message deleted for everyone, or nobody sending them within FILE_UNATTACHED_SECONDS).
import type { ObjectId } from "mongodb";
import { attachFiles, claimFiles, deleteFileDoc, getFileById, getFilesByIds, getUnattachedBefore, type FileDoc } from "../db/files";
import { getMembership } from "../db/memberships";
import { getMessageByClientId, type MessageDoc } from "../db/messages";
import { releaseStorage } from "../db/users";
import { getServerEnv } from "../env";
import { AppError, notFound } from "../errors";
import { blobStorage } from "../storage";
import { oid, type Actor } from "./ids";
import { blobKey, storedBytesOf } from "./uploads";

export type MessageAttachment = NonNullable<MessageDoc["attachments"]>[number];

/**
 * Claims the sender's uploaded files for the message (conversation, clientMsgId) and returns them
 * as the message will carry them, in the order given. A file of someone else, or none, is
 * NOT_FOUND; a file another message took is CONFLICT. A retry of the same send claims nothing new.
 */
export async function claimAttachments({
  senderId,
  conversationId,
  clientMsgId,
  fileIds,
}: {
  senderId: ObjectId;
  conversationId: ObjectId;
  clientMsgId: string;
  fileIds: string[];
}): Promise<MessageAttachment[]> {
  const ids = fileIds.map(oid);
  const mine = (docs: FileDoc[]) => new Map(docs.filter((doc) => doc.ownerId.equals(senderId)).map((doc) => [doc._id.toHexString(), doc]));
  const found = mine(await getFilesByIds({ ids }));
  if (found.size !== ids.length) throw new AppError("NOT_FOUND", "attachments: file not found (upload it again)");
  const ours = (doc: FileDoc) => doc.claim !== null && doc.claim.conversationId.equals(conversationId) && doc.claim.clientMsgId === clientMsgId;
  const unclaimed = [...found.values()].filter((doc) => doc.claim === null);
  if (unclaimed.length > 0) {
    await claimFiles({ ids: unclaimed.map((doc) => doc._id), ownerId: senderId, claim: { conversationId, clientMsgId } });
    for (const doc of await getFilesByIds({ ids: unclaimed.map((d) => d._id) })) found.set(doc._id.toHexString(), doc);
  }
  if (![...found.values()].every(ours)) throw new AppError("CONFLICT", "attachments: a file was already sent in another message; attach it again");
  return fileIds.map((id) => {
    const doc = found.get(id)!;
    const attachment: MessageAttachment = { fileId: doc._id, name: doc.name, type: doc.type, size: doc.size, kind: doc.kind };
    if (doc.width && doc.height) Object.assign(attachment, { width: doc.width, height: doc.height });
    return attachment;
  });
}

/** The message is stored: its members may read its files from now on. */
export async function markAttached({ messageId, fileIds }: { messageId: ObjectId; fileIds: ObjectId[] }): Promise<void> {
  if (fileIds.length > 0) await attachFiles({ ids: fileIds, messageId });
}

export type FileVariant = "original" | "thumbnail" | "preview";

/**
 * A file the user may read, and the blob key of the variant asked for. Attached files: the
 * members of the conversation, checked now (a removed member's old link reads as no file at all).
 * Files not yet sent: their uploader only. Anything else is NOT_FOUND, as is a missing variant.
 */
export async function readableFile({ userId, fileId, variant }: Actor & { fileId: string; variant: FileVariant }): Promise<{ doc: FileDoc; key: string; size: number }> {
  if (!/^[a-f0-9]{24}$/.test(fileId)) throw notFound("File");
  const reader = oid(userId);
  const doc = await getFileById({ id: oid(fileId) });
  if (!doc) throw notFound("File");
  const allowed = doc.attached && doc.claim
    ? (await getMembership({ conversationId: doc.claim.conversationId, userId: reader })) !== null
    : doc.ownerId.equals(reader);
  if (!allowed) throw notFound("File");
  if (variant === "original") return { doc, key: blobKey(doc._id), size: doc.size };
  const made = doc.variants[variant];
  if (!made) throw notFound("File");
  return { doc, key: blobKey(doc._id, variant), size: made.size };
}

/** Deletes files for good: the document first (nobody can read it from then on), then the bytes, then gives their quota back. */
export async function removeFiles(ids: ObjectId[]): Promise<void> {
  const storage = blobStorage();
  for (const id of ids) {
    const doc = await getFileById({ id });
    if (!doc || !(await deleteFileDoc({ id }))) continue;
    const variants = Object.keys(doc.variants);
    await Promise.all([blobKey(id), ...variants.map((variant) => blobKey(id, variant))].map((key) => storage.remove(key)));
    await releaseStorage({ id: doc.ownerId, bytes: storedBytesOf(doc) });
  }
}

const SWEEP_BATCH = 100;

/**
 * Files no message took within FILE_UNATTACHED_SECONDS are deleted. A file whose message was
 * stored but not marked (the process stopped in between) is marked instead. Returns how many
 * were deleted. Safe to run on several servers at once: each deletion happens once.
 */
export async function sweepUnattachedFiles({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  const before = new Date(now.getTime() - getServerEnv().FILE_UNATTACHED_SECONDS * 1000);
  const stale = await getUnattachedBefore({ before, limit: SWEEP_BATCH });
  const orphans: ObjectId[] = [];
  for (const doc of stale) {
    const message = doc.claim ? await getMessageByClientId({ conversationId: doc.claim.conversationId, senderId: doc.ownerId, clientMsgId: doc.claim.clientMsgId }) : null;
    const carried = message?.deletedAt === null && (message.attachments ?? []).some((attachment) => attachment.fileId.equals(doc._id));
    if (carried) await markAttached({ messageId: message._id, fileIds: [doc._id] });
    else orphans.push(doc._id);
  }
  await removeFiles(orphans);
  return orphans.length;
}
