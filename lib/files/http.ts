// How a stored file leaves the server (GET /api/files/:id and its variants): membership is checked
// by the caller on every request; this sets the headers that keep a file from ever acting as a page
// of this site, answers conditional requests (ETag) and byte ranges (seeking in a video).
import { Readable } from "node:stream";
import type { FileDoc } from "../db/files";
import type { BlobStorage, ByteRange } from "../storage";
import { contentDisposition } from "./names";

// Never given their own type, even as downloads: a browser that ignored the disposition would render them.
const ACTIVE_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript)/i;

/** Any stored bytes served: opened in a tab, they run nothing, load nothing, and are no origin of their own. */
export const SANDBOXED = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
  "Cross-Origin-Resource-Policy": "same-origin",
} as const;

const FILE_HEADERS = {
  ...SANDBOXED,
  // Revalidated on every use (a 304 is cheap): a member removed since cannot read it from a cache of ours.
  "Cache-Control": "private, no-cache",
  "Accept-Ranges": "bytes",
} as const;

export type FileRequest = { doc: FileDoc; key: string; size: number; variant: "original" | "thumbnail" | "preview"; download: boolean };

export async function fileResponse(request: Request, storage: BlobStorage, file: FileRequest): Promise<Response> {
  const { doc, key, size, variant, download } = file;
  // A key's bytes never change (a new upload is a new id): the key is a strong validator.
  const etag = `"${key}"`;
  const inline = !download && (variant !== "original" || doc.kind === "video" || doc.kind === "audio");
  const type = variant === "original" ? (ACTIVE_TYPES.test(doc.type) ? "application/octet-stream" : doc.type) : "image/webp";
  const name = variant === "original" ? doc.name : `${doc.name.replace(/\.[^.]*$/, "")}.webp`;
  const headers = new Headers({ ...FILE_HEADERS, ETag: etag, "Content-Type": type, "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", name) });

  if (matches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });

  const ifRange = request.headers.get("if-range");
  const range = ifRange === null || ifRange === etag ? parseRange(request.headers.get("range"), size) : null;
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const stream = await storage.open(key, range ?? undefined);
  if (!stream) return Response.json({ error: { code: "NOT_FOUND", message: "File not found", retryable: false } }, { status: 404 });
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(body, { status: 206, headers });
  }
  headers.set("Content-Length", String(size));
  return new Response(body, { status: 200, headers });
}

function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * One range of `Range: bytes=…` (start-end, start-, or -suffix); null to send everything (no
 * header, a form we do not serve such as several ranges, or another unit), "unsatisfiable" for a
 * range that starts past the end (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return null;
  const [, from, to] = match;
  if (from === "" && to === "") return null;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return null;
  return { start, end };
}
