"use client";

// The files about to be sent, above the message box: a preview of each (the picture itself, or
// its kind), its name and size, and a way to take it out. Its own chunk: a text-only conversation
// never loads it.
import type { Draft } from "./drafts";
import { FileIcon } from "./file-icon";
import { formatBytes } from "./file-size";
import { useObjectUrl } from "./object-url";

export function AttachmentTray({ drafts, notice, onRemove, onDismissNotice }: { drafts: Draft[]; notice: string | null; onRemove: (key: string) => void; onDismissNotice: () => void }) {
  return (
    <div className="mb-2" data-testid="attachment-tray">
      {notice ? (
        <p role="alert" className="mb-2 flex items-start gap-2 rounded-lg bg-danger/10 px-3 py-1.5 text-sm text-danger" data-testid="attachment-notice">
          <span className="min-w-0 flex-1">{notice}</span>
          <button type="button" onClick={onDismissNotice} className="shrink-0 rounded px-1 font-semibold underline">
            OK
          </button>
        </p>
      ) : null}
      {drafts.length > 0 ? (
        <ul aria-label={`${drafts.length} ${drafts.length === 1 ? "file" : "files"} to send`} className="flex gap-2 overflow-x-auto pb-1">
          {drafts.map((draft) => (
            <TrayItem key={draft.key} draft={draft} onRemove={() => onRemove(draft.key)} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function TrayItem({ draft: { file: draft }, onRemove }: { draft: Draft; onRemove: () => void }) {
  const image = draft.type.startsWith("image/");
  const url = useObjectUrl(image ? draft.blob : null);
  return (
    <li className="relative flex w-52 shrink-0 items-center gap-2 rounded-xl bg-sunken p-1.5 pr-7 ring-1 ring-line" data-testid="tray-item">
      <span className="flex h-12 w-12 shrink-0 items-center justify-center overflow-hidden rounded-lg bg-surface text-muted">
        {image && url ? <img src={url} alt="" className="h-full w-full object-cover" /> : <FileIcon type={draft.type} className="h-9 w-8" />}
      </span>
      <span className="min-w-0 text-xs">
        <span className="block truncate font-medium text-fg" title={draft.name} dir="auto">
          {draft.name}
        </span>
        <span className="block text-muted">{formatBytes(draft.size)}</span>
      </span>
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${draft.name}`}
        title="Remove"
        className="absolute right-1 top-1 inline-flex h-6 w-6 items-center justify-center rounded-full text-muted hover:bg-hover hover:text-fg"
      >
        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden>
          <path d="M6 6l12 12M18 6 6 18" />
        </svg>
      </button>
    </li>
  );
}
