"use client";

import { useState } from "react";
import type { CallController, CurrentCall } from "@/lib/client/calls/controller";
import { listDevices, type Device } from "@/lib/client/calls/media";
import { ChevronIcon, HangUpIcon, MicIcon, MicOffIcon, VideoIcon, VideoOffIcon } from "./call-icons";

const button = "flex h-12 w-12 items-center justify-center rounded-full shadow-sm ring-1 transition focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-accent/40 disabled:opacity-50 sm:h-14 sm:w-14";
const idle = "bg-surface text-fg ring-line hover:bg-hover";
const on = "bg-fg text-surface ring-fg";

/** Mute, camera, devices and hang up, along the bottom of the call. */
export function CallControls({ call, controller }: { call: CurrentCall; controller: CallController }) {
  const session = call.session;
  const [devices, setDevices] = useState<{ microphones: Device[]; cameras: Device[] } | null>(null);
  const ended = call.phase === "ended";
  const ringing = call.phase === "outgoing";

  return (
    <div className="relative flex shrink-0 items-center justify-center gap-3 px-4 pb-[max(1.25rem,env(safe-area-inset-bottom))] pt-1 sm:gap-4">
      {session ? (
        <>
          <Toggle pressed={session.muted} label={session.muted ? "Unmute microphone" : "Mute microphone"} onClick={() => controller.setMuted(!session.muted)}>
            {session.muted ? <MicOffIcon size={22} /> : <MicIcon size={22} />}
          </Toggle>
          <Toggle
            pressed={!session.sendsVideo || session.cameraOff}
            label={session.sendsVideo && !session.cameraOff ? "Turn camera off" : "Turn camera on"}
            onClick={() => void controller.setCameraOff(session.sendsVideo && !session.cameraOff)}
          >
            {session.sendsVideo && !session.cameraOff ? <VideoIcon size={22} /> : <VideoOffIcon size={22} />}
          </Toggle>
          <button
            type="button"
            aria-label="Choose microphone and camera"
            aria-expanded={devices !== null}
            className={`${button} ${idle} !h-10 !w-10`}
            onClick={() => (devices ? setDevices(null) : void listDevices().then(setDevices, () => setDevices({ microphones: [], cameras: [] })))}
          >
            <ChevronIcon className={devices ? "" : "rotate-180"} />
          </button>
        </>
      ) : null}
      <button
        type="button"
        aria-label={ringing ? "Cancel call" : ended ? "Close" : "Hang up"}
        disabled={ended}
        onClick={() => void controller.hangup()}
        className={`${button} h-14 w-16 bg-red-600 text-white ring-red-600/40 hover:bg-red-700 sm:h-14 sm:w-20`}
      >
        <HangUpIcon size={26} />
      </button>
      {devices && session ? <DevicePicker devices={devices} controller={controller} onClose={() => setDevices(null)} /> : null}
    </div>
  );
}

function Toggle({ pressed, label, onClick, children }: { pressed: boolean; label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" aria-label={label} title={label} aria-pressed={pressed} onClick={onClick} className={`${button} ${pressed ? on : idle}`}>
      {children}
    </button>
  );
}

function DevicePicker({ devices, controller, onClose }: { devices: { microphones: Device[]; cameras: Device[] }; controller: CallController; onClose: () => void }) {
  const select = "mt-1 w-full rounded-lg border border-line bg-surface px-2 py-1.5 text-sm text-fg";
  return (
    <div
      role="group"
      aria-label="Devices"
      onKeyDown={(event) => event.key === "Escape" && onClose()}
      className="absolute bottom-full left-1/2 mb-2 w-72 -translate-x-1/2 rounded-2xl bg-raised p-3 text-left text-sm shadow-xl ring-1 ring-line"
    >
      <label className="block font-medium">
        Microphone
        <select className={select} defaultValue={controller.deviceInUse("audio")} onChange={(event) => void controller.switchDevice("audio", event.target.value)}>
          {devices.microphones.map((d) => (
            <option key={d.id} value={d.id}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {devices.cameras.length > 0 ? (
        <label className="mt-3 block font-medium">
          Camera
          <select className={select} defaultValue={controller.deviceInUse("video")} onChange={(event) => void controller.switchDevice("video", event.target.value)}>
            {devices.cameras.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}
