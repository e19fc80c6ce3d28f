"use client";

// Files dragged onto the open conversation: the pane shows where to let go, and what is dropped
// joins the composer's tray. Loaded once the conversation shows, not with the page.
import { createPortal } from "react-dom";

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") ?? false;

/** Listens on `pane`; `dragging` says when the overlay should show. Returns the way to stop listening. */
export function watchDrops(pane: HTMLElement, { onFiles, dragging }: { onFiles: (files: File[]) => void; dragging: (on: boolean) => void }): () => void {
  // dragenter and dragleave fire for every child crossed: count them to know when the pointer really left.
  let depth = 0;
  const enter = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth += 1;
    dragging(true);
  };
  const over = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  };
  const leave = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) dragging(false);
  };
  const drop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    dragging(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) onFiles(files);
  };
  pane.addEventListener("dragenter", enter);
  pane.addEventListener("dragover", over);
  pane.addEventListener("dragleave", leave);
  pane.addEventListener("drop", drop);
  return () => {
    pane.removeEventListener("dragenter", enter);
    pane.removeEventListener("dragover", over);
    pane.removeEventListener("dragleave", leave);
    pane.removeEventListener("drop", drop);
  };
}

/** Covers the conversation while files are dragged over it. Not interactive: the pane underneath takes the drop. */
export function DropOverlay({ pane }: { pane: HTMLElement }) {
  return createPortal(
    <div className="pointer-events-none absolute inset-0 z-40 flex items-center justify-center bg-surface/85 p-6 backdrop-blur-sm" data-testid="drop-overlay">
      <div className="flex h-full max-h-80 w-full max-w-lg flex-col items-center justify-center gap-3 rounded-3xl border-2 border-dashed border-accent text-center text-fg">
        <svg width="40" height="40" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="text-accent" aria-hidden>
          <path d="M12 15V4M7 9l5-5 5 5M5 15v3a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-3" />
        </svg>
        <p className="text-lg font-semibold">Drop files to send</p>
        <p className="text-sm text-muted">Up to 10 at a time. They wait above the message box for a caption.</p>
      </div>
    </div>,
    pane,
  );
}
