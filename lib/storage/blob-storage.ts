// Where file bytes are kept: one interface, two backends (DESIGN.md "Attachments"). GridFS keeps
// them in the database through the driver; a directory keeps them on this machine's disk. Both
// store a blob whole or not at all, and read any byte range of it without reading the rest.
import type { Readable } from "node:stream";

/** Bytes `start` to `end`, both included (as in an HTTP Range). */
export type ByteRange = { start: number; end: number };

export interface BlobStorage {
  /** Stores everything `source` yields under `key`; resolves with the byte count once all of it is stored. On any failure nothing stays behind. */
  put(key: string, source: Readable): Promise<number>;
  /** The stored bytes (or a range of them), streamed; null when there is no such blob. */
  open(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Deletes the blob; deleting one that is not there is not an error. */
  remove(key: string): Promise<void>;
}

/** Keys are made by the server (an ObjectId, a dot, a variant name): anything else is a bug, never a path. */
export function checkKey(key: string): string {
  if (!/^[a-z0-9][a-z0-9.]*$/.test(key) || key.includes("..") || key.length > 100) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
}
