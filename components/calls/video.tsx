"use client";

import { useEffect, useRef } from "react";

/** A media element playing a MediaStream (srcObject cannot be set as an attribute). */
export function StreamVideo({ stream, muted = false, mirrored = false, className = "", testId, label }: { stream: MediaStream | null; muted?: boolean; mirrored?: boolean; className?: string; testId?: string; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video || video.srcObject === stream) return;
    video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined);
  }, [stream]);
  return <video ref={ref} autoPlay playsInline muted={muted} aria-label={label} data-testid={testId} className={`${className} ${mirrored ? "-scale-x-100" : ""}`} />;
}

/** The other side's sound (a video element carries only pictures here, so a camera turned off never silences anyone). */
export function StreamAudio({ stream }: { stream: MediaStream | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = stream;
    if (stream) void audio.play().catch(() => undefined);
  }, [stream]);
  return <audio ref={ref} autoPlay data-testid="remote-audio" className="hidden" />;
}
