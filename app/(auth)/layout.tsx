import type { ReactNode } from "react";

/** The sign-in and sign-up pages: the brand above one centred card, in light and dark. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-slate-50 px-4 py-10 sm:py-16 dark:bg-slate-950 dark:scheme-dark">
      <div className="mb-8 flex items-center gap-2.5" aria-hidden="true">
        <span className="flex size-10 items-center justify-center rounded-xl bg-indigo-600 text-white shadow-sm dark:bg-indigo-500">
          <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="size-6">
            <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12Z" />
            <path d="M8.5 10.5h7M8.5 13.5h4.5" />
          </svg>
        </span>
        <span className="text-2xl font-bold tracking-tight text-slate-900 dark:text-white">Parley</span>
      </div>
      <div className="w-full max-w-sm rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200 sm:max-w-md sm:p-8 dark:bg-slate-900 dark:ring-slate-800">
        {children}
      </div>
    </main>
  );
}
