// Uploading a file (POST /api/uploads): the body is spooled to a temporary file (counted, cut off
// past the limit), sniffed and, for an image, its thumbnail and preview made; only then is it
// counted against the uploader's quota and stored. Whatever fails on the way leaves nothing
// stored and nothing counted. DESIGN.md "Attachments".
import { rm } from "node:fs/promises";
import type { ObjectId } from "mongodb";
import { insertFile, newFileId, type FileDoc } from "../db/files";
import { releaseStorage, reserveStorage } from "../db/users";
import { getServerEnv } from "../env";
import { AppError } from "../errors";
import { inspect, type Inspected } from "../files/inspect";
import { safeFileName } from "../files/names";
import { formatBytes, readSpooled, spool } from "../files/spool";
import type { FileDto } from "../schemas/dto";
import { blobStorage } from "../storage";
import { oid, type Actor } from "./ids";

export type UploadInput = {
  /** The name the client gave (query `name`); made safe here. */
  name: string | null;
  body: ReadableStream<Uint8Array> | null;
  /** Content-Length, when the request said it. */
  declaredLength: number | null;
};

export const blobKey = (fileId: ObjectId | string, variant?: string) => (variant ? `${String(fileId)}.${variant}` : String(fileId));

export async function uploadFile({ userId, name, body, declaredLength }: Actor & UploadInput): Promise<FileDto> {
  const env = getServerEnv();
  const ownerId = oid(userId);
  const spooled = await spool(body, { maxBytes: env.FILE_MAX_BYTES, declared: declaredLength });
  let inspected: Inspected | null = null;
  try {
    inspected = await inspect(spooled.path);
    const storedBytes = spooled.size + inspected.variants.reduce((sum, variant) => sum + variant.size, 0);
    if (!(await reserveStorage({ id: ownerId, bytes: storedBytes, quota: env.FILE_QUOTA_BYTES }))) {
      throw new AppError("TOO_LARGE", `Your storage is full (${formatBytes(env.FILE_QUOTA_BYTES)}): delete some files you sent to make room`);
    }
    const doc: FileDoc = {
      _id: newFileId(),
      ownerId,
      name: safeFileName(name),
      type: inspected.type,
      size: spooled.size,
      kind: inspected.kind,
      ...(inspected.width ? { width: inspected.width, height: inspected.height } : {}),
      variants: Object.fromEntries(inspected.variants.map(({ name: variant, width, height, size }) => [variant, { width, height, size }])),
      createdAt: new Date(),
      claim: null,
      attached: false,
      messageId: null,
    };
    await store(doc, spooled.path, inspected, storedBytes);
    return toFileDto(doc);
  } finally {
    await Promise.all([spooled.remove(), ...(inspected?.variants ?? []).map((variant) => rm(/* turbopackIgnore: true */ variant.path, { force: true }))]);
  }
}

/** The blobs first, then the document that makes them a file: a failure on the way removes what was written and gives the quota back. */
async function store(doc: FileDoc, path: string, inspected: Inspected, storedBytes: number): Promise<void> {
  const storage = blobStorage();
  const keys = [blobKey(doc._id), ...inspected.variants.map((variant) => blobKey(doc._id, variant.name))];
  try {
    await storage.put(keys[0]!, readSpooled(path));
    for (const variant of inspected.variants) await storage.put(blobKey(doc._id, variant.name), readSpooled(variant.path));
    await insertFile(doc);
  } catch (error) {
    await Promise.all(keys.map((key) => storage.remove(key).catch(() => undefined)));
    await releaseStorage({ id: doc.ownerId, bytes: storedBytes }).catch(() => undefined);
    throw error;
  }
}

export function toFileDto(doc: Pick<FileDoc, "_id" | "name" | "type" | "size" | "kind" | "width" | "height">): FileDto {
  const dto: FileDto = { id: doc._id.toHexString(), name: doc.name, type: doc.type, size: doc.size, kind: doc.kind };
  if (doc.width && doc.height) Object.assign(dto, { width: doc.width, height: doc.height });
  return dto;
}

/** What a file takes of its owner's quota: its bytes and its variants'. */
export function storedBytesOf(doc: Pick<FileDoc, "size" | "variants">): number {
  return doc.size + (doc.variants.thumbnail?.size ?? 0) + (doc.variants.preview?.size ?? 0);
}
