import type { ReactNode } from "react";
import type { TypePart } from "@/lib/contract/reference";

/** Text with `code` spans, as the documents write it (CommonMark's inline code only). */
export function Inline({ text }: { text: string }) {
  return text.split(/`([^`]+)`/).map((part, i) =>
    i % 2 === 1 ? (
      <code key={i} className="rounded bg-sunken px-1 py-0.5 font-mono text-[0.8125rem] font-normal text-fg ring-1 ring-line">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

export function Prose({ text, className = "" }: { text: string; className?: string }) {
  return (
    <p className={`text-sm leading-6 text-muted ${className}`}>
      <Inline text={text} />
    </p>
  );
}

/** A type in words; named shapes link to their entry under "Shapes". */
export function TypeText({ parts }: { parts: TypePart[] }) {
  return (
    <span className="font-mono text-[0.8125rem] text-muted">
      {parts.map((part, i) =>
        part.schema ? (
          <a key={i} href={`#shape-${part.schema}`} className="text-link underline decoration-dotted underline-offset-2 hover:decoration-solid">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </span>
  );
}

const METHOD_STYLES: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  POST: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
  PUT: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300",
  DELETE: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-300",
  EMIT: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
  ON: "bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-300",
};

/** An HTTP method, or a socket direction ("EMIT" a client sends, "ON" it hears). */
export function Method({ method }: { method: string }) {
  return <span className={`inline-flex w-16 shrink-0 justify-center rounded-md px-2 py-0.5 font-mono text-xs font-bold tracking-wide ${METHOD_STYLES[method] ?? ""}`}>{method}</span>;
}

export function Tag({ children, tone = "plain" }: { children: ReactNode; tone?: "plain" | "accent" | "danger" }) {
  const tones = {
    plain: "bg-sunken text-muted ring-line",
    accent: "bg-selected text-fg ring-transparent",
    danger: "bg-sunken text-danger ring-line",
  };
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${tones[tone]}`}>{children}</span>;
}
