// An upload's body, streamed to a temporary file as it arrives, counted on the way: nothing of it
// is held in memory beyond one chunk, a body over the limit is cut off as soon as it passes it,
// and a body that ends early (the client went away) is reported, not stored.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError } from "../errors";

export type Spooled = { path: string; size: number; remove(): Promise<void> };

const SPOOL_DIR = path.join(os.tmpdir(), "parley-uploads");

export function tooLarge(maxBytes: number): AppError {
  return new AppError("TOO_LARGE", `The file is too large (at most ${formatBytes(maxBytes)})`);
}

/** "25 MB", "512 KB": the limit as a person reads it (1 MB = 1024 × 1024 bytes, as file managers mostly show it). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Writes `body` to a new temporary file. `declared`: the Content-Length, when given; over
 * `maxBytes` it is refused before a byte is read, fewer bytes than it is an interrupted upload, more
 * is refused. An empty body is refused too. The caller removes the file when done.
 */
export async function spool(body: ReadableStream<Uint8Array> | null, { maxBytes, declared }: { maxBytes: number; declared: number | null }): Promise<Spooled> {
  if (declared !== null && declared > maxBytes) throw tooLarge(maxBytes);
  await mkdir(/* turbopackIgnore: true */ SPOOL_DIR, { recursive: true, mode: 0o700 });
  const file = path.join(SPOOL_DIR, `${Date.now()}-${randomBytes(8).toString("hex")}`);
  const remove = () => rm(/* turbopackIgnore: true */ file, { force: true });
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > maxBytes) callback(tooLarge(maxBytes));
      else if (declared !== null && size > declared) callback(new AppError("VALIDATION", "The body is longer than its Content-Length"));
      else callback(null, chunk);
    },
  });
  try {
    const source = body ? Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(source, counter, createWriteStream(/* turbopackIgnore: true */ file, { flags: "wx", mode: 0o600 }));
  } catch (error) {
    await remove();
    if (error instanceof AppError) throw error;
    // The connection closed mid-body (or the client aborted): there is nobody left to answer, but say what happened.
    throw new AppError("VALIDATION", "The upload was interrupted before the whole file arrived", { cause: error });
  }
  if (declared !== null && size < declared) {
    await remove();
    throw new AppError("VALIDATION", "The upload was interrupted before the whole file arrived");
  }
  if (size === 0) {
    await remove();
    throw new AppError("VALIDATION", "The file is empty");
  }
  return { path: file, size, remove };
}

/** Streams a spooled file (or a variant made beside it) back out, to storage. */
export const readSpooled = (file: string) => createReadStream(/* turbopackIgnore: true */ file);
