// What the conversation list previews in place of text that is gone, or of files: shared by the server (which
// stores and serves previews) and the browser (which updates them live).
import type { FileKind } from "./file";

export const DELETED_PREVIEW = "This message was deleted";
/** The newest message was deleted for the viewer alone: the others still see its text. */
export const HIDDEN_PREVIEW = "You deleted this message";

const KIND_PREVIEW = {
  image: ["📷", "Photo", "photos"],
  video: ["🎥", "Video", "videos"],
  audio: ["🎵", "Audio", "audio files"],
} as const;

/**
 * The list's line for a message with files: "📷 Photo", "📷 3 photos", "📄 report.pdf", "📎 4 files",
 * or the first symbol and the caption when there is one ("📷 Look at this").
 */
export function attachmentsPreview(attachments: { kind: FileKind; name: string }[], caption: string): string {
  const [first] = attachments;
  if (!first) return caption;
  const same = attachments.every((a) => a.kind === first.kind);
  const known = same && first.kind !== "file" ? KIND_PREVIEW[first.kind] : null;
  const symbol = known ? known[0] : attachments.length === 1 ? "📄" : "📎";
  if (caption.trim()) return `${symbol} ${caption}`;
  if (known) return attachments.length === 1 ? `${symbol} ${known[1]}` : `${symbol} ${attachments.length} ${known[2]}`;
  return attachments.length === 1 ? `${symbol} ${first.name}` : `${symbol} ${attachments.length} files`;
}
