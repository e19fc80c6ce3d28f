import type { ConnectionState } from "@/lib/client/realtime-client";

const LABELS: Record<ConnectionState, { text: string; dot: string }> = {
  connecting: { text: "Connecting…", dot: "bg-amber-400" },
  connected: { text: "Connected", dot: "bg-emerald-500" },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-400" },
  http: { text: "Using HTTP", dot: "bg-sky-500" },
  offline: { text: "Offline, messages will send when you are back", dot: "bg-slate-400" },
};

/** The connection state, visible and announced politely to screen readers when it changes. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const { text, dot } = LABELS[state];
  return (
    <p role="status" aria-live="polite" data-state={state} className="flex items-center gap-2 text-xs text-muted">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {text}
    </p>
  );
}
