// A file's name as the uploader's browser gave it, made safe to store, show and send back in a
// Content-Disposition header: never a path, never a control or direction-override character, never
// empty, never longer than a file system allows.

export const FILE_NAME_MAX = 200;

// C0 and C1 controls (NUL included), DEL; and the characters that reorder or hide text: the bidi
// embeddings, overrides and isolates, the direction marks, and the zero-width characters. A name
// like "invoice\u202Efdp.exe" shows as "invoiceexe.pdf" in a file manager: it is refused its trick.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// What Windows refuses in a name, and the path separators of every system.
const RESERVED = /[<>:"/\\|?*]/g;

/**
 * "../../etc/passwd" → "passwd"; "C:\\x\\a.txt" → "a.txt"; controls and overrides removed; runs of
 * spaces made one; leading dots removed (no hidden files); at most FILE_NAME_MAX characters,
 * keeping the extension; "file" when nothing is left.
 */
export function safeFileName(raw: string | null | undefined): string {
  const lastPart = (raw ?? "").split(/[/\\]/).pop() ?? "";
  let name = lastPart.normalize("NFC").replace(UNSAFE, "").replace(RESERVED, "_").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  if (name === "") return "file";
  const chars = [...name];
  if (chars.length > FILE_NAME_MAX) {
    const dot = name.lastIndexOf(".");
    const extension = dot > 0 && name.length - dot <= 16 ? [...name.slice(dot)] : [];
    name = chars.slice(0, FILE_NAME_MAX - extension.length).join("").trimEnd() + extension.join("");
  }
  return name;
}

/**
 * A Content-Disposition header for `name`: the RFC 6266 `filename*` in UTF-8, and an ASCII
 * `filename` for clients that do not read it.
 */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
