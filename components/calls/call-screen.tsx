"use client";

import { useEffect, useRef, useState } from "react";
import type { CallController, CurrentCall } from "@/lib/client/calls/controller";
import { formatDuration } from "@/lib/client/calls/entry";
import type { Quality } from "@/lib/client/calls/quality";
import { Avatar } from "../chat/avatar";
import { CallControls } from "./call-controls";
import { MicOffIcon, VideoOffIcon } from "./call-icons";
import { StreamAudio, StreamVideo } from "./video";

const QUALITY: Record<Quality, { label: string; bars: number; colour: string }> = {
  good: { label: "Good connection", bars: 3, colour: "bg-emerald-500" },
  fair: { label: "Fair connection", bars: 2, colour: "bg-amber-500" },
  poor: { label: "Poor connection", bars: 1, colour: "bg-danger" },
};

const hasLiveVideo = (stream: MediaStream | null | undefined) => !!stream?.getVideoTracks().some((t) => t.readyState === "live");

/** A call from this tab: over the thread on a wide screen, the whole screen on a phone. */
export function CallScreen({ call, controller }: { call: CurrentCall; controller: CallController }) {
  const session = call.session;
  const remoteVideo = !!session && hasLiveVideo(session.remote) && !session.remoteCameraOff;
  const local = session?.local ?? call.preview;
  const localVideo = hasLiveVideo(local) && !(session?.cameraOff ?? false);
  const status = useStatus(call);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);

  return (
    <section aria-labelledby="call-title" data-testid="call-screen" data-phase={call.phase} className="fixed inset-0 z-40 flex flex-col bg-app text-fg md:left-80 lg:left-96">
      <header className="flex items-center justify-between gap-3 px-4 pb-2 pt-4 sm:px-6">
        <div className="min-w-0">
          <h2 id="call-title" ref={heading} tabIndex={-1} className="truncate text-lg font-semibold outline-none" dir="auto">
            {call.peer.name}
          </h2>
          <p className="flex items-center gap-2 text-sm text-muted" aria-live="polite">
            <span data-testid="call-status" className={call.phase === "ended" ? "font-medium text-fg" : ""}>
              {status}
            </span>
          </p>
        </div>
        {session?.quality && call.phase === "active" && !session.reconnecting ? <QualityHint quality={session.quality} /> : null}
      </header>

      <div className="relative mx-3 mb-3 min-h-0 flex-1 overflow-hidden rounded-3xl bg-sunken ring-1 ring-line sm:mx-6">
        {remoteVideo ? (
          <StreamVideo stream={session.remote} muted label={`${call.peer.name}'s video`} testId="remote-video" className="h-full w-full bg-black object-contain" />
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-4 p-6 text-center">
            <div className="relative flex h-36 w-36 items-center justify-center">
              {call.phase === "outgoing" || call.phase === "connecting" ? <span className="absolute inset-0 animate-ping rounded-full bg-accent/15 motion-reduce:animate-none" aria-hidden /> : null}
              <span className="absolute inset-3 rounded-full bg-accent/10" aria-hidden />
              <span className="relative scale-[1.6]">
                <Avatar id={call.peer.id} name={call.peer.name} size="lg" />
              </span>
            </div>
            {session?.remoteCameraOff && call.media === "video" ? (
              <p className="flex items-center gap-1.5 text-sm text-muted">
                <VideoOffIcon size={16} /> {call.peer.name} turned their camera off
              </p>
            ) : null}
          </div>
        )}
        {session?.remoteMuted ? (
          <p data-testid="remote-muted" className="absolute left-3 top-3 flex items-center gap-1.5 rounded-full bg-black/60 px-3 py-1 text-xs font-medium text-white backdrop-blur">
            <MicOffIcon size={14} /> {call.peer.name} is muted
          </p>
        ) : null}
        {session?.reconnecting ? (
          <p role="status" className="absolute inset-x-0 top-3 mx-auto w-fit rounded-full bg-amber-500 px-3 py-1 text-xs font-semibold text-black shadow">
            Reconnecting…
          </p>
        ) : null}
        {localVideo ? (
          <div className="absolute bottom-3 right-3 aspect-video w-32 overflow-hidden rounded-2xl bg-black shadow-xl ring-2 ring-white/70 sm:w-56">
            <StreamVideo stream={local} muted mirrored label="Your camera" testId="local-video" className="h-full w-full object-cover" />
          </div>
        ) : null}
        {call.problem ? <Problem call={call} controller={controller} /> : null}
      </div>
      <StreamAudio stream={session?.remote ?? null} />
      <CallControls call={call} controller={controller} />
    </section>
  );
}

function useStatus(call: CurrentCall): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (call.phase !== "active") return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [call.phase]);
  if (call.phase === "ended") return call.ended?.message ?? "Call ended";
  if (call.problem) return "Can't start the call";
  if (call.phase === "outgoing") return `Calling ${call.peer.name}…`;
  if (call.phase === "connecting") return "Connecting…";
  if (call.session?.reconnecting) return "Reconnecting…";
  const since = call.connectedAt ? new Date(call.connectedAt).getTime() : now;
  return formatDuration(Math.max(0, now - since));
}

function QualityHint({ quality }: { quality: Quality }) {
  const { label, bars, colour } = QUALITY[quality];
  return (
    <p className="flex shrink-0 items-center gap-2 rounded-full bg-surface px-3 py-1 text-xs text-muted ring-1 ring-line" data-testid="call-quality">
      <span className="flex items-end gap-0.5" aria-hidden>
        {[1, 2, 3].map((bar) => (
          <span key={bar} className={`w-1 rounded-sm ${bar <= bars ? colour : "bg-line"}`} style={{ height: `${4 + bar * 3}px` }} />
        ))}
      </span>
      {label}
    </p>
  );
}

function Problem({ call, controller }: { call: CurrentCall; controller: CallController }) {
  const problem = call.problem!;
  return (
    <div className="absolute inset-0 flex items-center justify-center bg-app/80 p-4 backdrop-blur-sm">
      <div role="alert" className="max-w-sm rounded-2xl bg-surface p-5 text-center shadow-xl ring-1 ring-line">
        <p className="font-semibold">Can&apos;t use your {call.media === "video" ? "camera" : "microphone"}</p>
        <p className="mt-1 text-sm text-muted">{problem.message}</p>
        <div className="mt-4 flex justify-center gap-2">
          <button type="button" className="rounded-lg px-3 py-2 text-sm font-medium text-muted ring-1 ring-line hover:bg-hover" onClick={() => controller.close()}>
            Cancel
          </button>
          {problem.audioOnlyMayWork ? (
            <button type="button" className="rounded-lg bg-accent px-3 py-2 text-sm font-medium text-accent-fg" onClick={() => void controller.audioOnly()}>
              Continue with audio only
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
