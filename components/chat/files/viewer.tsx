"use client";

// The picture viewer: one of the conversation's pictures (those loaded), large, with who sent it
// and when, a download, and ← / → to the previous and next. A modal dialog: Escape closes it,
// focus stays inside and goes back to the picture it was opened from.
import { useRef, useState } from "react";
import type { AttachmentDto } from "@/lib/schemas/dto";
import { fullDate } from "../format";
import { useFocusTrap } from "../modal";
import { downloadUrl } from "./attachments";

export type ViewerImage = { file: AttachmentDto; senderName: string; createdAt: string };

const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;

export function ImageViewer({ images, startId, onClose }: { images: ViewerImage[]; startId: string; onClose: () => void }) {
  const [index, setIndex] = useState(() => Math.max(0, images.findIndex((image) => image.file.id === startId)));
  const panel = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useFocusTrap(panel, true, closeButton);
  const current = images[Math.min(index, images.length - 1)];
  if (!current) return null;
  const { file } = current;
  const step = (by: number) => setIndex((at) => Math.min(images.length - 1, Math.max(0, at + by)));
  const position = `${index + 1} of ${images.length}`;

  return (
    <div
      ref={panel}
      role="dialog"
      aria-modal="true"
      aria-label={`${file.name}, picture ${position}`}
      data-testid="image-viewer"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.stopPropagation();
          onClose();
        } else if (event.key === "ArrowLeft") {
          event.preventDefault();
          step(-1);
        } else if (event.key === "ArrowRight") {
          event.preventDefault();
          step(1);
        }
      }}
      className="fixed inset-0 z-50 flex flex-col bg-slate-950/95 text-white outline-none"
    >
      <header className="flex shrink-0 items-center gap-2 px-3 py-2 sm:px-5 sm:py-3">
        <div className="min-w-0 flex-1">
          <p className="truncate font-semibold" dir="auto" data-testid="viewer-name">
            {file.name}
          </p>
          <p className="truncate text-xs text-slate-300">
            <span data-testid="viewer-position">{position}</span> · {current.senderName} · {fullDate(current.createdAt)}
          </p>
        </div>
        <a href={downloadUrl(file.id)} download={file.name} className={roundButton} aria-label={`Download ${file.name}`} title="Download" data-testid="viewer-download">
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
            <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
          </svg>
        </a>
        <button ref={closeButton} type="button" onClick={onClose} className={roundButton} aria-label="Close" title="Close (Esc)">
          <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
            <path d="M6 6l12 12M18 6 6 18" />
          </svg>
        </button>
      </header>
      <div
        className="relative flex min-h-0 flex-1 items-center justify-center px-2 pb-4 sm:px-16"
        onPointerDown={(event) => {
          if (event.target === event.currentTarget) onClose();
        }}
      >
        {/* The thumbnail (already in the cache) shows at once under the sharper preview while it loads. */}
        <img
          key={file.id}
          src={`${fileUrl(file.id)}/preview`}
          alt={file.name}
          width={file.width}
          height={file.height}
          style={{ backgroundImage: `url(${fileUrl(file.id)}/thumbnail)` }}
          className="max-h-full max-w-full bg-contain bg-center bg-no-repeat object-contain shadow-2xl"
          data-testid="viewer-image"
        />
        {images.length > 1 ? (
          <>
            <button type="button" onClick={() => step(-1)} disabled={index === 0} aria-label="Previous picture" title="Previous (←)" className={`${sideButton} left-2 sm:left-4`}>
              <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
                <path d="M15 18l-6-6 6-6" />
              </svg>
            </button>
            <button type="button" onClick={() => step(1)} disabled={index === images.length - 1} aria-label="Next picture" title="Next (→)" className={`${sideButton} right-2 sm:right-4`}>
              <svg width="24" height="24" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
                <path d="M9 18l6-6-6-6" />
              </svg>
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}

const roundButton = "inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-full text-slate-100 hover:bg-white/15 focus-visible:outline-2 focus-visible:outline-white";
const sideButton = "absolute top-1/2 inline-flex h-12 w-12 -translate-y-1/2 items-center justify-center rounded-full bg-black/50 text-white hover:bg-black/70 disabled:opacity-30 focus-visible:outline-2 focus-visible:outline-white";
