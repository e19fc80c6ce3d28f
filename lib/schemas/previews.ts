// What the conversation list previews in place of text that is gone, or of files: shared by the server (which
// stores and serves previews) and the browser (which updates them live).
import type { FileKind } from "./file";

export const DELETED_PREVIEW = "This message was deleted";
/** The newest message was deleted for the viewer alone: the others still see its text. */
export const HIDDEN_PREVIEW = "You deleted this message";

const PREVIEW_MAX = 120;
const SYMBOL = { image: "📷", video: "🎥", audio: "🎵", file: "📎" } as const;
const WORDS = { image: ["Photo", "photos"], video: ["Video", "videos"], audio: ["Audio", "audio files"], file: ["File", "files"] } as const;

const oneLine = (text: string) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_MAX ? `${line.slice(0, PREVIEW_MAX - 1)}…` : line;
};

/**
 * The list's line for a message, the same for the server (which stores it) and the browser (which
 * updates the list live), so a live update and the next page load agree: its text on one line; with files, their symbol and
 * the caption, or what they are ("📷 Photo", "📷 3 photos", "📎 report.pdf", "📎 4 files").
 */
export function messagePreview({ text, attachments }: { text: string; attachments?: { kind: FileKind; name: string }[] }): string {
  const [first] = attachments ?? [];
  if (!first || !attachments) return oneLine(text);
  const kind = attachments.every((a) => a.kind === first.kind) ? first.kind : "file";
  const caption = oneLine(text);
  if (caption) return `${SYMBOL[kind]} ${caption}`;
  if (attachments.length > 1) return `${SYMBOL[kind]} ${attachments.length} ${WORDS[kind][1]}`;
  return `${SYMBOL[kind]} ${kind === "file" ? oneLine(first.name) : WORDS[kind][0]}`;
}
