// The storage FILE_STORAGE names, made once per process.
import path from "node:path";
import { getDb } from "../db/client";
import { getServerEnv } from "../env";
import type { BlobStorage } from "./blob-storage";
import { DirectoryStorage } from "./directory";
import { GridFsStorage } from "./gridfs";

export type { BlobStorage, ByteRange } from "./blob-storage";

let current: { setting: string; storage: BlobStorage } | undefined;

export function blobStorage(): BlobStorage {
  const setting = getServerEnv().FILE_STORAGE;
  if (current?.setting !== setting) {
    const storage = setting === "gridfs" ? new GridFsStorage(getDb) : new DirectoryStorage(path.resolve(/* turbopackIgnore: true */ setting.slice("fs:".length)));
    current = { setting, storage };
  }
  return current.storage;
}
