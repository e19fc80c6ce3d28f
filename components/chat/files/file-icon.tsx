/** A document, a film, a note or a picture: what kind of file this is, at a glance. */
export function FileIcon({ type, className = "" }: { type: string; className?: string }) {
  const label = fileLabel(type);
  return (
    <span className={`relative inline-flex shrink-0 items-center justify-center ${className}`} aria-hidden>
      <svg width="100%" height="100%" viewBox="0 0 32 40" fill="none">
        <path d="M4 2h16l8 8v26a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z" className="fill-current opacity-15" />
        <path d="M4 2h16l8 8v26a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z M20 2v8h8" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
      </svg>
      <span className="absolute bottom-[18%] text-[9px] font-bold uppercase leading-none tracking-wide">{label}</span>
    </span>
  );
}

/** A short word for a type: PDF, ZIP, MP4, TXT…; the subtype, cut short, for the rest. */
export function fileLabel(type: string): string {
  const known: Record<string, string> = {
    "application/pdf": "PDF",
    "application/zip": "ZIP",
    "application/x-zip-compressed": "ZIP",
    "text/plain": "TXT",
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
  };
  if (known[type]) return known[type];
  const sub = type.split("/")[1]?.replace(/^x-/, "").replace(/[^a-z0-9].*$/i, "") ?? "";
  return sub.length > 0 && sub.length <= 4 ? sub.toUpperCase() : "FILE";
}
