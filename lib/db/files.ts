import { ObjectId } from "mongodb";
import type { FileKind } from "../schemas/file";
import { getDb } from "./client";
import { inChunks } from "./in-chunks";

/** A picture the server made of an image; its bytes are the blob `<file id>.<name>`. */
export type VariantDoc = { width: number; height: number; size: number };

/**
 * An uploaded file: what it is and who may read it. Its bytes are the blob named by its id (and
 * its variants' blobs) in the configured storage. A message claims it when sent (`claim`, the
 * message's idempotency key), then it is `attached` to that message: from then on the members of
 * the conversation may read it. Unattached files are their uploader's alone, and are swept.
 */
export type FileDoc = {
  _id: ObjectId;
  ownerId: ObjectId;
  name: string;
  /** Sniffed from the content. */
  type: string;
  size: number;
  kind: FileKind;
  width?: number;
  height?: number;
  variants: { thumbnail?: VariantDoc; preview?: VariantDoc };
  createdAt: Date;
  claim: { conversationId: ObjectId; clientMsgId: string } | null;
  attached: boolean;
  messageId: ObjectId | null;
};

// Its indexes are listed in indexes.ts.
const files = async () => (await getDb()).collection<FileDoc>("files");

export async function insertFile(doc: FileDoc): Promise<void> {
  await (await files()).insertOne(doc);
}

export async function getFileById({ id }: { id: ObjectId }): Promise<FileDoc | null> {
  return (await files()).findOne({ _id: id });
}

export async function getFilesByIds({ ids }: { ids: ObjectId[] }): Promise<FileDoc[]> {
  const col = await files();
  return inChunks(ids, (slice) => col.find({ _id: { $in: slice } }).toArray());
}

/**
 * Claims the owner's unclaimed files among `ids` for one message (its conversation and
 * clientMsgId), each in one conditional update: a file is claimed by one message only, whichever
 * send gets there first. Files already claimed are left as they are, for the caller to check.
 */
export async function claimFiles({ ids, ownerId, claim }: { ids: ObjectId[]; ownerId: ObjectId; claim: NonNullable<FileDoc["claim"]> }): Promise<void> {
  const col = await files();
  await Promise.all(ids.map((id) => col.updateOne({ _id: id, ownerId, claim: null }, { $set: { claim } })));
}

/** The message with these files is stored: its members may read them now. */
export async function attachFiles({ ids, messageId }: { ids: ObjectId[]; messageId: ObjectId }): Promise<void> {
  const col = await files();
  await Promise.all(ids.map((id) => col.updateOne({ _id: id }, { $set: { attached: true, messageId } })));
}

export async function deleteFileDoc({ id }: { id: ObjectId }): Promise<boolean> {
  return (await (await files()).deleteOne({ _id: id })).deletedCount === 1;
}

/** Files no message took, uploaded before `before`: the sweep's bounded range on (attached, createdAt). */
export async function getUnattachedBefore({ before, limit }: { before: Date; limit: number }): Promise<FileDoc[]> {
  return (await files()).find({ attached: false, createdAt: { $lt: before } }).sort({ createdAt: 1 }).limit(limit).toArray();
}

export const newFileId = () => new ObjectId();
