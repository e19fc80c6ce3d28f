// Files for upload tests, made on the spot: real images with sharp, and the hostile ones by hand.
import { deflateSync } from "node:zlib";
import sharp from "sharp";
import type { FileDto } from "../../lib/schemas/dto";
import type { TestUser } from "./users";

/** A JPEG `width`×`height` as stored, with EXIF that must never reach a viewer: orientation 6 (turned a quarter), an artist and a GPS position. */
export async function photoWithExif(width = 1200, height = 800): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Artist: "exif-secret-artist" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export async function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid PNG header claiming `side`×`side` pixels, with a few hundred bytes of data: tiny on disk, gigabytes once decoded. */
export function pngBomb(side = 100_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const rows = deflateSync(Buffer.alloc(64 * 1024)); // the start of the first rows only
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]);
}

/** A GIF that is also a page with a script: the header is an image, the rest is HTML. */
export function gifHtmlPolyglot(): Buffer {
  return Buffer.concat([Buffer.from("GIF89a/*\x01\x00\x01\x00\x00\x00\x00;", "latin1"), Buffer.from("*/=1;<html><body><script>parent.polyglotRan=1</script></body></html>")]);
}

export const svgWithScript = () => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>parent.svgRan=1</script><rect width="10" height="10"/></svg>`);
export const htmlPage = () => Buffer.from(`<!doctype html><html><body><script>parent.htmlRan=1</script></body></html>`);

/** A minimal PDF: a download, never shown inline. */
export const pdf = () => Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

export type UploadResult = { status: number; body: { file?: FileDto; error?: { code: string; message: string } }; headers: Headers };

/** POST /api/uploads as the browser sends it: the raw bytes, the name in the query. */
export async function upload(user: TestUser, bytes: Buffer | Uint8Array, name: string, headers: Record<string, string> = {}): Promise<UploadResult> {
  const response = await user.api(`/api/uploads?name=${encodeURIComponent(name)}`, {
    method: "POST",
    body: bytes as Uint8Array<ArrayBuffer>,
    headers: { "content-type": "application/octet-stream", ...headers },
  });
  return { status: response.status, body: (await response.json()) as UploadResult["body"], headers: response.headers };
}

export async function uploaded(user: TestUser, bytes: Buffer | Uint8Array, name: string): Promise<FileDto> {
  const result = await upload(user, bytes, name);
  if (result.status !== 201 || !result.body.file) throw new Error(`upload failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.file;
}
