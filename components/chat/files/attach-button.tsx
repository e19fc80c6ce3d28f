"use client";

// The composer's ways in for files: the paperclip (a hidden multi-file input), a picture pasted
// into the message box, and files dropped anywhere on the conversation. A chunk of its own, loaded
// as the composer shows, so /chat's first load carries none of it (scripts/bundle-size.mjs).
import { useEffect, useRef, useState, type RefObject } from "react";
import { prepareDrafts, type Draft } from "./drafts";
import { DropOverlay, watchDrops } from "./drop";

export function AttachButton({
  box,
  dropZone,
  held,
  maxBytes,
  onAttach,
}: {
  /** The message box: a pasted picture there is attached. */
  box: RefObject<HTMLTextAreaElement | null>;
  dropZone?: RefObject<HTMLElement | null>;
  /** Files already in the tray (a message carries at most FILES_PER_MESSAGE). */
  held: number;
  maxBytes: number;
  /** Files checked and measured, and one sentence about those refused (null when none was). */
  onAttach: (drafts: Draft[], refused: string | null) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const attach = async (files: File[]) => {
    if (files.length === 0) return;
    const { drafts, refused } = await prepareDrafts(files, held, maxBytes);
    onAttach(drafts, refused);
    box.current?.focus();
  };
  // Listeners added once see the latest props through this.
  const latest = useRef(attach);
  useEffect(() => {
    latest.current = attach;
  });

  useEffect(() => {
    const textarea = box.current;
    const pane = dropZone?.current;
    // A picture copied from elsewhere (a screenshot): attached, not pasted as text.
    const paste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      void latest.current(files);
    };
    textarea?.addEventListener("paste", paste);
    const stopDrops = pane ? watchDrops(pane, { onFiles: (files) => void latest.current(files), dragging: setDragging }) : undefined;
    return () => {
      textarea?.removeEventListener("paste", paste);
      stopDrops?.();
    };
  }, [box, dropZone]);

  return (
    <>
      <button
        type="button"
        aria-label="Attach files"
        title="Attach files"
        onClick={() => input.current?.click()}
        className="inline-flex h-11 w-9 shrink-0 items-center justify-center rounded-full text-muted hover:bg-hover hover:text-fg sm:w-11"
      >
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.5a1.7 1.7 0 0 1-2.3-2.3L16 7.5" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(event) => {
          void attach([...(event.target.files ?? [])]);
          event.target.value = "";
        }}
      />
      {dragging && dropZone?.current ? <DropOverlay pane={dropZone.current} /> : null}
    </>
  );
}
