"use client";

import { useEffect, useRef } from "react";
import type { CallController, CurrentCall } from "@/lib/client/calls/controller";
import { Avatar } from "../chat/avatar";
import { HangUpIcon, MicIcon, PhoneIcon, VideoIcon } from "./call-icons";

const round = "flex h-14 w-14 items-center justify-center rounded-full shadow-md transition focus-visible:outline-none focus-visible:ring-4 disabled:opacity-60";

/**
 * A ringing call, on every tab of the person called: a dialog that takes focus and says who is
 * calling and how. Escape does not decline (a call refused by a stray key is a call lost): the
 * choice is always one of the buttons.
 */
export function IncomingCall({ call, controller }: { call: CurrentCall; controller: CallController }) {
  const dialog = useRef<HTMLDivElement>(null);
  const before = useRef<Element | null>(null);
  useEffect(() => {
    before.current = document.activeElement;
    dialog.current?.focus();
    return () => {
      if (before.current instanceof HTMLElement && before.current.isConnected) before.current.focus({ preventScroll: true });
    };
  }, []);
  const kind = call.media === "video" ? "Video call" : "Voice call";
  const problem = call.problem;

  return (
    <div className="fixed inset-0 z-50 flex items-end justify-center bg-black/40 p-3 backdrop-blur-[2px] sm:items-center">
      <div
        ref={dialog}
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="incoming-call-title"
        aria-describedby="incoming-call-kind"
        tabIndex={-1}
        // Focus lands on the dialog so it is announced; the buttons inside show focus as usual. (Inline: the
        // global :focus-visible rule is unlayered and would beat a utility class.)
        style={{ outline: "none" }}
        data-testid="incoming-call"
        onKeyDown={(event) => {
          if (event.key === "Escape") event.preventDefault();
          if (event.key !== "Tab") return;
          // Focus stays within the dialog while it rings.
          const buttons = [...(dialog.current?.querySelectorAll<HTMLButtonElement>("button:not([disabled])") ?? [])];
          const first = buttons[0];
          const last = buttons.at(-1);
          if (event.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
            event.preventDefault();
            last?.focus();
          } else if (!event.shiftKey && document.activeElement === last) {
            event.preventDefault();
            first?.focus();
          }
        }}
        className="w-full max-w-sm rounded-3xl bg-surface px-6 pb-6 pt-8 text-center text-fg shadow-2xl ring-1 ring-line"
      >
        <div className="relative mx-auto mb-4 flex h-24 w-24 items-center justify-center">
          <span className="absolute inset-0 animate-ping rounded-full bg-emerald-500/25 motion-reduce:animate-none" aria-hidden />
          <span className="absolute inset-2 rounded-full bg-emerald-500/15" aria-hidden />
          <span className="relative scale-125">
            <Avatar id={call.peer.id} name={call.peer.name} size="lg" />
          </span>
        </div>
        <h2 id="incoming-call-title" className="truncate text-xl font-semibold" dir="auto">
          {call.peer.name}
        </h2>
        <p id="incoming-call-kind" className="mt-1 flex items-center justify-center gap-1.5 text-sm text-muted">
          {call.media === "video" ? <VideoIcon size={16} /> : <PhoneIcon size={16} />}
          Incoming {kind.toLowerCase()}
        </p>
        {problem ? (
          <p role="alert" className="mt-4 rounded-xl bg-sunken px-3 py-2 text-left text-sm text-fg ring-1 ring-line">
            {problem.message}
          </p>
        ) : null}
        <div className="mt-7 flex items-start justify-center gap-6">
          <Choice label="Decline" onClick={() => void controller.decline()}>
            <span className={`${round} bg-red-600 text-white ring-red-600/30 hover:bg-red-700`}>
              <HangUpIcon />
            </span>
          </Choice>
          {call.media === "video" ? (
            <Choice label="Audio only" name="Accept with audio only" disabled={call.busy} onClick={() => void (problem ? controller.audioOnly() : controller.accept("audio"))}>
              <span className={`${round} bg-raised text-fg ring-1 ring-line`}>
                <MicIcon size={22} />
              </span>
            </Choice>
          ) : null}
          {!problem || !problem.audioOnlyMayWork || call.media === "audio" ? (
            <Choice label={call.busy ? "Joining…" : "Accept"} name="Accept" disabled={call.busy} onClick={() => void controller.accept(call.media)}>
              <span className={`${round} bg-emerald-600 text-white ring-emerald-500/30 ${call.busy ? "" : "animate-[pulse_1.6s_ease-in-out_infinite] motion-reduce:animate-none"}`}>
                {call.media === "video" ? <VideoIcon size={24} /> : <PhoneIcon size={24} />}
              </span>
            </Choice>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function Choice({ label, name, disabled, onClick, children }: { label: string; name?: string; disabled?: boolean; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" aria-label={name ?? label} disabled={disabled} onClick={onClick} className="group flex w-20 flex-col items-center gap-2 rounded-2xl text-xs font-medium text-muted outline-none focus-visible:text-fg">
      {children}
      <span aria-hidden>{label}</span>
    </button>
  );
}
