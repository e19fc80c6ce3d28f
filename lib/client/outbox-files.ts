// The files of an outbox message: kept with the entry (IndexedDB stores Blobs) until the message
// is sent, uploaded one at a time before it, each upload remembered on the entry as soon as it
// finishes, so a reload resumes with the files still missing and never uploads one twice.
// Framework-free: the browser uploads with XMLHttpRequest (upload.ts), Node tests with a fake.
import type { Ack } from "../realtime/events";
import type { FileDto } from "../schemas/dto";
import type { UploadActivity } from "../schemas/file";

/** A file a message carries: its bytes until the message is stored, and once uploaded what the server made of it. */
export type OutboxFile = {
  blob: Blob;
  name: string;
  type: string;
  size: number;
  /** An image's size as measured in the browser, so its bubble is sized before the server answers. */
  width?: number;
  height?: number;
  uploaded?: FileDto;
  /** When it was uploaded, on this device's clock: an upload kept too long unsent is swept by the server. */
  uploadedAt?: number;
};

/**
 * The files with every upload older than `keptMs` forgotten, so they go again: the server deletes
 * an upload no message took within FILE_UNATTACHED_SECONDS, and a message that waited that long
 * (offline, a closed laptop) would otherwise refer to files that are gone. Null when none is that old.
 */
export function forgetStaleUploads(files: OutboxFile[], keptMs: number, now = Date.now()): OutboxFile[] | null {
  const stale = (file: OutboxFile) => file.uploaded !== undefined && now - (file.uploadedAt ?? 0) > keptMs;
  if (!files.some(stale)) return null;
  return files.map((file) => (stale(file) ? { blob: file.blob, name: file.name, type: file.type, size: file.size, width: file.width, height: file.height } : file));
}

/** Bytes of a message's files that reached the server, across all of them. */
export type UploadProgress = { loaded: number; total: number };

/**
 * One upload (POST /api/uploads). Answers like an ack: the server's error, or a network failure
 * as a rejection. Aborting `signal` rejects it. `onProgress` gets the bytes of this file sent so far.
 */
export type UploadFile = (file: OutboxFile, options: { signal: AbortSignal; onProgress: (loaded: number) => void }) => Promise<Ack<{ file: FileDto }>>;

type UploadFailure = Extract<Ack<unknown>, { ok: false }>;

/**
 * Uploads the files not uploaded yet, in order. After each, `saved` gets the files with its
 * result and is awaited, so the result is stored before the next byte goes. Resolves null once
 * every file is uploaded, else the failed upload's error (the caller decides about retrying).
 */
export async function uploadMissing({
  files,
  upload,
  signal,
  progress,
  saved,
}: {
  files: OutboxFile[];
  upload: UploadFile;
  signal: AbortSignal;
  progress: (progress: UploadProgress) => void;
  saved: (files: OutboxFile[]) => Promise<void>;
}): Promise<UploadFailure | null> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  let current = files;
  for (let index = 0; index < current.length; index += 1) {
    const file = current[index]!;
    if (file.uploaded) continue;
    signal.throwIfAborted();
    const before = current.reduce((sum, f) => sum + (f.uploaded ? f.size : 0), 0);
    progress({ loaded: before, total });
    const result = await upload(file, { signal, onProgress: (loaded) => progress({ loaded: before + Math.min(loaded, file.size), total }) });
    if (!result.ok) return result;
    current = current.map((f, i) => (i === index ? { ...f, uploaded: result.data.file, uploadedAt: Date.now() } : f));
    await saved(current);
  }
  progress({ loaded: total, total });
  return null;
}

/** What the typing line says while these upload ("sending a photo…"): one kind when they all share it, else "file". */
export function uploadActivity(files: Pick<OutboxFile, "type">[]): UploadActivity {
  const all = (prefix: string) => files.length > 0 && files.every((f) => f.type.startsWith(prefix));
  if (all("image/")) return "photo";
  if (all("video/")) return "video";
  if (all("audio/")) return "audio";
  return "file";
}
