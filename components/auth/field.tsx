import { useId, type InputHTMLAttributes } from "react";

type FieldProps = {
  label: string;
  name: string;
  /** Says what the field needs before anything is typed (the password rule); read out with the field. */
  hint?: string;
  /** What is wrong with the value sent, shown under the field and read out with it. */
  error?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "aria-invalid" | "aria-describedby">;

const inputBase =
  "block w-full rounded-lg border bg-white px-3 py-2.5 text-base text-slate-900 shadow-xs transition-colors placeholder:text-slate-400 " +
  "focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:ring-offset-white " +
  "dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500 dark:focus-visible:ring-offset-slate-900";
const inputState = {
  valid: "border-slate-300 focus-visible:border-indigo-500 focus-visible:ring-indigo-500 dark:border-slate-700 dark:focus-visible:border-indigo-400 dark:focus-visible:ring-indigo-400",
  invalid: "border-red-500 focus-visible:border-red-500 focus-visible:ring-red-500 dark:border-red-400 dark:focus-visible:border-red-400 dark:focus-visible:ring-red-400",
} as const;

/**
 * A labelled input: the label is visible and tied to the field, which is also how tests find it.
 * The hint and the error are tied to it with aria-describedby, and aria-invalid marks it wrong.
 */
export function Field({ label, name, hint, error, ...props }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`${inputBase} ${error ? inputState.invalid : inputState.valid}`}
        {...props}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="flex items-start gap-1.5 text-sm text-red-700 dark:text-red-400">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 size-4 shrink-0">
            <path
              fillRule="evenodd"
              d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
              clipRule="evenodd"
            />
          </svg>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A problem with the whole form (wrong credentials, a rate limit): announced when it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/50 dark:text-red-200">
      {message}
    </p>
  );
}

export const primaryButton =
  "inline-flex w-full items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2.5 font-semibold text-white shadow-sm transition-colors hover:bg-indigo-700 " +
  "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 focus-visible:ring-offset-white " +
  "disabled:cursor-not-allowed disabled:opacity-60 dark:bg-indigo-500 dark:hover:bg-indigo-400 dark:focus-visible:ring-indigo-400 dark:focus-visible:ring-offset-slate-900";

export const textLink =
  "rounded-sm font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 " +
  "dark:text-indigo-300 dark:hover:text-indigo-200 dark:focus-visible:ring-indigo-400 dark:focus-visible:ring-offset-slate-900";
