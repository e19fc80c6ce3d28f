import type { ReactNode } from "react";
import type { Field, Shape } from "@/lib/contract/reference";
import { Prose, TypeText } from "./prose";

function FieldList({ fields, depth = 0 }: { fields: Field[]; depth?: number }) {
  return (
    <ul className={depth > 0 ? "mt-2 space-y-2 border-l-2 border-line pl-3" : "divide-y divide-line"}>
      {fields.map((field) => (
        <li key={field.name} className={depth > 0 ? "" : "py-2.5 first:pt-0 last:pb-0"}>
          <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
            <code className="font-mono text-sm font-semibold text-fg">{field.name}</code>
            <TypeText parts={field.type} />
            {field.required ? <span className="text-xs font-medium text-danger">required</span> : <span className="text-xs text-muted">optional</span>}
          </div>
          {field.description ? <Prose text={field.description} className="mt-0.5" /> : null}
          {field.fields ? <FieldList fields={field.fields} depth={depth + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}

/** A shape as a person reads it: its fields, or what it is; a union as its alternatives. */
export function ShapeView({ shape }: { shape: Shape }) {
  if (shape.variants) {
    return (
      <div className="space-y-3">
        {shape.variants.map((variant, i) => (
          <div key={i}>
            <p className="mb-1.5 text-xs font-semibold tracking-wide text-muted uppercase">{i === 0 ? "Either" : "or"}</p>
            <ShapeView shape={variant} />
          </div>
        ))}
      </div>
    );
  }
  if (shape.fields && shape.fields.length > 0) return <FieldList fields={shape.fields} />;
  if (shape.fields) return <p className="text-sm text-muted">An empty object: <code className="font-mono">{"{}"}</code></p>;
  return <TypeText parts={shape.type} />;
}

/** A titled part of an entry (Parameters, Body, 200, …). */
export function Part({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="mt-4">
      <h4 className="mb-2 flex flex-wrap items-baseline gap-2 text-xs font-semibold tracking-wide text-muted uppercase">
        {title}
        {aside}
      </h4>
      <div className="rounded-lg bg-sunken p-3 ring-1 ring-line">{children}</div>
    </section>
  );
}
