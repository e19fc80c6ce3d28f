"use client";

// What a message's files look like in the thread: pictures (one, or a grid) that open the viewer,
// video and audio that play in place, and a card that downloads everything else. My own message
// still uploading shows the files from this browser with the upload's progress and a Cancel.
// Its own chunk: a conversation without files never loads it.
import type { CSSProperties, ReactNode } from "react";
import type { UploadProgress } from "@/lib/client/outbox-files";
import type { AttachmentDto } from "@/lib/schemas/dto";
import { FileIcon, fileLabel } from "./file-icon";
import { formatBytes } from "./file-size";
import { audioClass, cardClass, frameClass, gridClass, imageFrameStyle, isImage, kindOf, tileClass, TILES_MAX, videoClass } from "./layout";
import { useObjectUrl } from "./object-url";

const fileUrl = (id: string) => `/api/files/${encodeURIComponent(id)}`;
export const downloadUrl = (id: string) => `${fileUrl(id)}?download=1`;

/** A message's files as everyone sees them. `onOpen`: a picture was clicked, for the viewer. */
export function StoredAttachments({ attachments, mine, onOpen }: { attachments: AttachmentDto[]; mine: boolean; onOpen?: (id: string) => void }) {
  const images = attachments.filter(isImage);
  const others = attachments.filter((file) => !isImage(file));
  return (
    <div className="mb-1 flex flex-col gap-1" data-testid="attachments">
      <Pictures
        files={images}
        render={(file, index, style) => (
          <button
            type="button"
            key={file.id}
            onClick={() => onOpen?.(file.id)}
            aria-label={`View ${file.name}`}
            data-testid="attachment-image"
            className={`${index === null ? frameClass : tileClass(index, Math.min(images.length, TILES_MAX))} cursor-zoom-in focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-1`}
            style={style}
          >
            <img src={`${fileUrl(file.id)}/thumbnail`} alt="" loading="lazy" decoding="async" className="h-full w-full object-cover" />
            {index === TILES_MAX - 1 && images.length > TILES_MAX ? (
              <span className="absolute inset-0 flex items-center justify-center bg-black/50 text-2xl font-semibold text-white">+{images.length - TILES_MAX}</span>
            ) : null}
          </button>
        )}
      />
      {others.map((file) => {
        const kind = kindOf(file);
        if (kind === "video") {
          return (
            <figure key={file.id} className="flex flex-col gap-1" data-testid="attachment-video">
              <video controls preload="metadata" src={fileUrl(file.id)} aria-label={file.name} className={videoClass} />
              <FileLine file={file} mine={mine} />
            </figure>
          );
        }
        if (kind === "audio") {
          return (
            <figure key={file.id} className={`${audioClass} ${tint(mine)}`} data-testid="attachment-audio">
              <FileLine file={file} mine={mine} />
              <audio controls preload="metadata" src={fileUrl(file.id)} aria-label={file.name} className="h-10 w-full" />
            </figure>
          );
        }
        return (
          <a key={file.id} href={downloadUrl(file.id)} download={file.name} data-testid="attachment-file" className={`${cardClass} ${tint(mine)} hover:brightness-95 focus-visible:ring-2 focus-visible:ring-accent`}>
            <FileIcon type={file.type} className={`h-10 w-8 ${mine ? "text-white" : "text-accent"}`} />
            <CardText name={file.name} detail={`${fileLabel(file.type)} · ${formatBytes(file.size)}`} mine={mine} />
            <DownloadIcon />
            <span className="sr-only">Download</span>
          </a>
        );
      })}
    </div>
  );
}

/** My message's files while they upload: from this browser, with how far the upload is and a way to stop it. */
export function PendingAttachments({ files, progress, failed, onCancel }: { files: { blob: Blob; name: string; type: string; size: number; width?: number; height?: number }[]; progress?: UploadProgress; failed: boolean; onCancel?: () => void }) {
  const images = files.filter(isImage);
  const others = files.filter((file) => !isImage(file));
  const percent = progress && progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <div className="mb-1 flex flex-col gap-1" data-testid="pending-attachments">
      <Pictures files={images} render={(file, index, style) => <LocalPicture key={`${file.name}-${index}`} blob={file.blob} index={index} count={Math.min(images.length, TILES_MAX)} style={style} />} />
      {others.map((file, index) => (
        <span key={`${file.name}-${index}`} className={`${cardClass} bg-white/15`}>
          <FileIcon type={file.type} className="h-10 w-8 text-white" />
          <CardText name={file.name} detail={`${fileLabel(file.type)} · ${formatBytes(file.size)}`} mine />
        </span>
      ))}
      {failed ? null : (
        <div className="mt-1 flex w-64 max-w-full items-center gap-2 text-xs" data-testid="upload-progress">
          <div
            role="progressbar"
            aria-label={`Uploading ${files.length === 1 ? files[0]!.name : `${files.length} files`}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-1.5 min-w-0 flex-1 overflow-hidden rounded-full bg-white/25"
          >
            <div className="h-full rounded-full bg-white transition-[width] duration-200" style={{ width: `${percent}%` }} />
          </div>
          <span className="w-9 shrink-0 text-right tabular-nums" data-testid="upload-percent">
            {progress ? `${percent}%` : "…"}
          </span>
          {onCancel ? (
            <button type="button" onClick={onCancel} className="shrink-0 rounded-md bg-white/20 px-2 py-0.5 font-semibold hover:bg-white/30">
              Cancel
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}

/** One picture in its box, or a grid of up to TILES_MAX. `index` is null for a lone picture. */
function Pictures<T extends { width?: number; height?: number }>({ files, render }: { files: T[]; render: (file: T, index: number | null, style: CSSProperties | undefined) => ReactNode }) {
  if (files.length === 0) return null;
  if (files.length === 1) return <>{render(files[0]!, null, imageFrameStyle(files[0]!))}</>;
  return <div className={gridClass}>{files.slice(0, TILES_MAX).map((file, index) => render(file, index, undefined))}</div>;
}

function LocalPicture({ blob, index, count, style }: { blob: Blob; index: number | null; count: number; style: CSSProperties | undefined }) {
  const url = useObjectUrl(blob);
  return (
    <span className={index === null ? frameClass : tileClass(index, count)} style={style}>
      {url ? <img src={url} alt="" className="h-full w-full object-cover opacity-80" /> : null}
    </span>
  );
}

/** Under a video, in an audio card: its name, size and a download link. */
function FileLine({ file, mine }: { file: AttachmentDto; mine: boolean }) {
  return (
    <figcaption className="flex min-w-0 items-center gap-2 px-1 text-xs">
      <span className="min-w-0 flex-1 truncate font-medium" dir="auto" title={file.name}>
        {file.name}
      </span>
      <span className={`shrink-0 ${mine ? "text-mine-muted" : "text-muted"}`}>{formatBytes(file.size)}</span>
      <a href={downloadUrl(file.id)} download={file.name} className="shrink-0 rounded p-0.5 hover:bg-black/10" aria-label={`Download ${file.name}`} title="Download">
        <DownloadIcon />
      </a>
    </figcaption>
  );
}

function CardText({ name, detail, mine }: { name: string; detail: string; mine: boolean }) {
  return (
    <span className="min-w-0 flex-1 text-left">
      <span className="block truncate text-sm font-medium" dir="auto" title={name}>
        {name}
      </span>
      <span className={`block text-xs ${mine ? "text-mine-muted" : "text-muted"}`}>{detail}</span>
    </span>
  );
}

const tint = (mine: boolean) => (mine ? "bg-white/15" : "bg-sunken ring-1 ring-line");

function DownloadIcon() {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="shrink-0" aria-hidden>
      <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
    </svg>
  );
}
