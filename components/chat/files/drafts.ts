// Files chosen, dropped or pasted into the composer, before they are sent: checked against the
// limits the server enforces anyway (so nothing is refused after a long upload), and images
// measured here, so their bubble has its size before the server has answered.
import { FILES_PER_MESSAGE } from "@/lib/schemas/limits";
import type { OutboxFile } from "@/lib/client/outbox-files";
import { formatBytes } from "./file-size";

/** A file in the tray; `key` tells two files of the same name apart. */
export type Draft = { key: string; file: OutboxFile };

let counter = 0;

async function measure(file: File): Promise<{ width: number; height: number } | null> {
  if (!file.type.startsWith("image/") || typeof createImageBitmap !== "function") return null;
  try {
    // Upright as the server will show it: the EXIF orientation is applied.
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    // A format this browser cannot decode (HEIC on most): sized when the server has looked at it.
    return null;
  }
}

/**
 * The files that can join the `held` ones, and one sentence for those that cannot: over the size
 * limit, empty, or past the number of files a message may carry.
 */
export async function prepareDrafts(files: File[], held: number, maxBytes: number): Promise<{ drafts: Draft[]; refused: string | null }> {
  const accepted: File[] = [];
  const tooLarge: string[] = [];
  const empty: string[] = [];
  let overCount = 0;
  for (const file of files) {
    if (file.size > maxBytes) tooLarge.push(file.name);
    else if (file.size === 0) empty.push(file.name);
    else if (held + accepted.length >= FILES_PER_MESSAGE) overCount += 1;
    else accepted.push(file);
  }
  const drafts = await Promise.all(
    accepted.map(async (file): Promise<Draft> => {
      const size = await measure(file);
      counter += 1;
      return { key: `draft-${counter}`, file: { blob: file, name: file.name || "file", type: file.type, size: file.size, ...(size ?? {}) } };
    }),
  );
  const reasons = [
    tooLarge.length > 0 ? `${list(tooLarge)} ${tooLarge.length === 1 ? "is" : "are"} over the ${formatBytes(maxBytes)} limit.` : null,
    empty.length > 0 ? `${list(empty)} ${empty.length === 1 ? "is" : "are"} empty.` : null,
    overCount > 0 ? `A message can carry at most ${FILES_PER_MESSAGE} files; ${overCount} more ${overCount === 1 ? "was" : "were"} left out.` : null,
  ].filter(Boolean);
  return { drafts, refused: reasons.length > 0 ? reasons.join(" ") : null };
}

function list(names: string[]): string {
  const quoted = names.map((name) => `“${name}”`);
  return quoted.length <= 2 ? quoted.join(" and ") : `${quoted.slice(0, 2).join(", ")} and ${quoted.length - 2} more`;
}
