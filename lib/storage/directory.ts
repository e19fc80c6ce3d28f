// Blobs as files in a directory (FILE_STORAGE=fs:<dir>): <dir>/<2 hex>/<key>, spread over 256
// subdirectories. A blob is written to a temporary name beside its final one and renamed into
// place when complete, so a reader never sees half a file and a failed write leaves none.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { checkKey, type BlobStorage, type ByteRange } from "./blob-storage";

export class DirectoryStorage implements BlobStorage {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const bucket = createHash("sha256").update(checkKey(key)).digest("hex").slice(0, 2);
    return path.join(this.root, bucket, key);
  }

  async put(key: string, source: Readable): Promise<number> {
    const final = this.pathOf(key);
    await mkdir(/* turbopackIgnore: true */ path.dirname(final), { recursive: true });
    const partial = `${final}.${randomBytes(6).toString("hex")}.part`;
    let size = 0;
    source.on("data", (chunk: Buffer) => (size += chunk.length));
    try {
      await pipeline(source, createWriteStream(/* turbopackIgnore: true */ partial, { flags: "wx" }));
      await rename(/* turbopackIgnore: true */ partial, final);
      return size;
    } catch (error) {
      await rm(/* turbopackIgnore: true */ partial, { force: true });
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const file = this.pathOf(key);
    try {
      await stat(/* turbopackIgnore: true */ file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    return createReadStream(/* turbopackIgnore: true */ file, range ? { start: range.start, end: range.end } : undefined);
  }

  async remove(key: string): Promise<void> {
    await rm(/* turbopackIgnore: true */ this.pathOf(key), { force: true });
  }
}
