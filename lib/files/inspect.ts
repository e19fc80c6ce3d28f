// What an uploaded file is, from its content alone (the name and the declared type are never
// trusted), and the pictures the server makes of an image: a thumbnail for the message and a
// preview for the viewer, both re-encoded (which drops EXIF, GPS and every other metadata) and
// turned upright. Only the raster formats a browser shows are decoded; anything else (SVG, HTML,
// PDF, an image too large to decode safely) is a file that downloads.
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Sharp, SharpOptions } from "sharp";
import type { FileKind } from "../schemas/file";

/** Decoding an image costs memory in proportion to its pixels: above this it is not decoded (a "zip bomb" PNG is tiny on disk). */
export const IMAGE_MAX_PIXELS = 50_000_000;

const SHOWN_INLINE_IMAGES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"]);
const PLAYED_INLINE = new Set([
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "audio/mpeg",
  "audio/ogg",
  "audio/opus",
  "audio/wav",
  "audio/x-wav",
  "audio/mp4",
  "audio/x-m4a",
  "audio/aac",
  "audio/flac",
  "audio/x-flac",
  "audio/webm",
]);

export const VARIANTS = { thumbnail: 640, preview: 2048 } as const;
export type VariantName = keyof typeof VARIANTS;
export type Variant = { name: VariantName; path: string; width: number; height: number; size: number };
export type Inspected = { type: string; kind: FileKind; width?: number; height?: number; variants: Variant[] };

export const UNKNOWN_TYPE = "application/octet-stream";

/** Whether `type` is a picture the server decodes (and so may turn into a thumbnail or a profile picture). */
export const isShownImage = (type: string) => SHOWN_INLINE_IMAGES.has(type);

export const AVATAR_SIDE = 256;

/**
 * A profile picture from the image at `path`: its first frame, upright, cropped to a centred
 * square of AVATAR_SIDE pixels, WebP, no metadata. Throws for what cannot be decoded.
 */
export async function makeAvatar(path: string, out: string): Promise<void> {
  const sharp = await decoder();
  const meta = await sharp(/* turbopackIgnore: true */ path, { ...decodeOptions, animated: false }).metadata();
  if (!meta.width || !meta.height || meta.width * (meta.pageHeight ?? meta.height) > IMAGE_MAX_PIXELS) throw new Error("too many pixels");
  await sharp(/* turbopackIgnore: true */ path, { ...decodeOptions, animated: false })
    .autoOrient()
    .resize({ width: AVATAR_SIDE, height: AVATAR_SIDE, fit: "cover", position: "attention" })
    .webp({ quality: 82, effort: 2 })
    .toFile(out);
}

/** Sniffs the file at `path` and, for an image, writes its variants beside it (`<path>.<variant>`). */
export async function inspect(path: string, { pictures: makePictures = true }: { pictures?: boolean } = {}): Promise<Inspected> {
  const { fileTypeFromFile } = await import("file-type");
  const type = (await fileTypeFromFile(/* turbopackIgnore: true */ path))?.mime ?? UNKNOWN_TYPE;
  if (PLAYED_INLINE.has(type)) return { type, kind: type.startsWith("audio/") ? "audio" : "video", variants: [] };
  if (!SHOWN_INLINE_IMAGES.has(type)) return { type, kind: "file", variants: [] };
  if (!makePictures) return { type, kind: "image", variants: [] };
  try {
    return { type, kind: "image", ...(await pictures(path)) };
  } catch {
    // Corrupt, truncated, or too many pixels: kept and offered as a download, never decoded again.
    return { type, kind: "file", variants: [] };
  }
}

// sharp through require: imported, its ES module entry is an external that Turbopack loads
// asynchronously, and the async-module support that needs goes into the browser's runtime too
// (half a kilobyte on the chat page). file-type is loaded when first needed, for the same reason.
const requireFromHere = createRequire(import.meta.url);
let loaded: ((input: string, options: SharpOptions) => Sharp) | undefined;
async function decoder(): Promise<(input: string, options: SharpOptions) => Sharp> {
  loaded ??= requireFromHere("sharp") as (input: string, options: SharpOptions) => Sharp;
  return loaded;
}

const decodeOptions = { limitInputPixels: IMAGE_MAX_PIXELS, animated: true, failOn: "error" } as const;

async function pictures(path: string): Promise<{ width: number; height: number; variants: Variant[] }> {
  const sharp = await decoder();
  const meta = await sharp(/* turbopackIgnore: true */ path, decodeOptions).metadata();
  if (!meta.width || !meta.height) throw new Error("no dimensions");
  const frameHeight = meta.pageHeight ?? meta.height;
  if (meta.width * frameHeight > IMAGE_MAX_PIXELS) throw new Error("too many pixels");
  // EXIF orientations 5 to 8 turn the picture a quarter: its width as shown is its height as stored.
  const turned = (meta.orientation ?? 1) >= 5;
  const variants: Variant[] = [];
  for (const [name, side] of Object.entries(VARIANTS) as [VariantName, number][]) {
    const out = `${path}.${name}`;
    const info = await sharp(/* turbopackIgnore: true */ path, decodeOptions)
      .autoOrient()
      .resize({ width: side, height: side, fit: "inside", withoutEnlargement: true })
      .webp({ quality: name === "thumbnail" ? 78 : 85, effort: 2 })
      .toFile(out);
    variants.push({ name, path: out, width: info.width, height: info.pageHeight ?? info.height, size: (await stat(/* turbopackIgnore: true */ out)).size });
  }
  return { width: turned ? frameHeight : meta.width, height: turned ? meta.width : frameHeight, variants };
}
