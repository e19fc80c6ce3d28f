// The size of every attachment before anything of it has loaded: images from their width and
// height (a bounded box with their aspect ratio), players and cards fixed. Shared by the real
// renderer (attachments.tsx, its own chunk) and the placeholder shown while that chunk loads, so
// neither the chunk nor the pictures move the thread when they arrive.
import type { CSSProperties } from "react";

/** The longest side of a lone picture in a bubble, and the shortest a small one is blown up to. */
const SINGLE_MAX = 320;
const SINGLE_MIN = 120;
/** Tiles shown for several pictures; the last says how many more the viewer holds. */
export const TILES_MAX = 4;

type Sized = { width?: number; height?: number };

/** A lone picture's box: its aspect ratio, its longest side at most SINGLE_MAX, a tiny one enlarged to SINGLE_MIN. */
export function imageBox({ width, height }: Sized): { width: number; height: number } {
  const w = width && width > 0 ? width : 4;
  const h = height && height > 0 ? height : 3;
  const scale = Math.min(SINGLE_MAX / w, SINGLE_MAX / h, Math.max(1, SINGLE_MIN / Math.max(w, h)));
  // Very tall or wide pictures are cropped to a readable strip rather than shown as a sliver.
  return { width: Math.round(Math.max(w * scale, SINGLE_MIN * 0.75)), height: Math.round(Math.max(h * scale, SINGLE_MIN * 0.6)) };
}

/** The style of a lone picture's frame: its width (never wider than the bubble) and, from it, its height. */
export function imageFrameStyle(file: Sized): CSSProperties {
  const box = imageBox(file);
  return { width: box.width, aspectRatio: `${box.width} / ${box.height}` };
}

export const frameClass = "relative block max-w-full overflow-hidden rounded-xl bg-black/10";
export const gridClass = "grid w-80 max-w-full grid-cols-2 gap-1";
/** With three pictures the first spans the row, so the grid has no hole. */
export const tileClass = (index: number, count: number) => `${frameClass} ${count === 3 && index === 0 ? "col-span-2 aspect-[2/1]" : "aspect-square"}`;
export const videoClass = "block aspect-video w-80 max-w-full rounded-xl bg-black";
export const cardClass = "flex h-14 w-64 max-w-full items-center gap-3 rounded-xl p-2";
export const audioClass = "flex h-[5.75rem] w-72 max-w-full flex-col justify-center gap-1.5 rounded-xl p-2";

type Kind = "image" | "video" | "audio" | "file";

/** How a file shows: the server's `kind` once it has looked, else (my own, still uploading) its type. */
export function kindOf(file: { kind?: Kind; type: string }): Kind {
  if (file.kind) return file.kind;
  const [major] = file.type.split("/");
  return major === "image" || major === "video" || major === "audio" ? major : "file";
}

export const isImage = (file: { kind?: Kind; type: string }) => kindOf(file) === "image";

/** Until the renderer's chunk is in: boxes of the very sizes it will draw. */
export function AttachmentsPlaceholder({ files }: { files: ({ kind?: Kind; type: string } & Sized)[] }) {
  const images = files.filter(isImage);
  const others = files.filter((file) => !isImage(file));
  return (
    <div className="mb-1 flex flex-col gap-1" aria-hidden>
      {images.length === 1 ? <span className={frameClass} style={imageFrameStyle(images[0]!)} /> : null}
      {images.length > 1 ? (
        <span className={gridClass}>
          {images.slice(0, TILES_MAX).map((_, index) => (
            <span key={index} className={tileClass(index, Math.min(images.length, TILES_MAX))} />
          ))}
        </span>
      ) : null}
      {others.map((file, index) => (
        <span key={index} className={`${{ video: videoClass, audio: audioClass, file: cardClass, image: cardClass }[kindOf(file)]} bg-black/5`} />
      ))}
    </div>
  );
}
