"use client";

import { useEffect } from "react";

// What the chat shows when something in it fails to render, in place of Next's default screen
// (whose inline <style> the CSP blocks, leaving it unstyled). It ships with the page: it is for
// when the page's later code cannot be fetched (lib/client/chunks.ts gives up on a chunk after
// repeated failures while online: a server down, or redeployed under an open page). A reload is
// the fix, made by itself when the browser comes back online. Unsent messages are in this
// device's outbox and go out after it.
export function ErrorScreen({ error }: { error: Error & { digest?: string } }) {
  const unreachable = error.name === "ChunkUnavailableError" || error.name === "ChunkLoadError";
  useEffect(() => {
    console.error(error);
    const reload = () => window.location.reload();
    if (unreachable) window.addEventListener("online", reload);
    return () => window.removeEventListener("online", reload);
  }, [error, unreachable]);

  return (
    <main role="alert" className="flex min-h-dvh items-center justify-center bg-app p-4 text-fg">
      <div className="w-full max-w-md rounded-2xl bg-surface p-8 text-center shadow-sm ring-1 ring-line">
        <h1 className="text-lg font-semibold">{unreachable ? "Parley could not finish loading" : "Something went wrong"}</h1>
        <p className="mt-2 text-sm text-muted">
          {unreachable ? "Part of the page could not be fetched from the server." : "This screen hit an error it could not recover from."} Reloading usually fixes it. Messages you have written and
          not yet sent are kept on this device.
        </p>
        <button type="button" onClick={() => window.location.reload()} className="mt-6 rounded-lg bg-accent px-4 py-2 text-sm font-medium text-accent-fg hover:opacity-90">
          Reload
        </button>
        {error.digest ? <p className="mt-4 font-mono text-xs text-muted">Reference {error.digest}</p> : null}
      </div>
    </main>
  );
}
