// Getting a microphone and a camera, and saying clearly why not. The browser's getUserMedia
// errors (Media Capture and Streams §9.2) are named DOMExceptions; each gets a sentence a person
// can act on, and for a video call the offer to go on with audio only.
import type { CallMedia } from "../../schemas/call";

export type MediaProblem = { name: string; message: string; /** Audio alone may still work. */ audioOnlyMayWork: boolean };

export function describeMediaError(error: unknown, media: CallMedia): MediaProblem {
  const name = error instanceof Error || (typeof error === "object" && error !== null && "name" in error) ? String((error as { name: unknown }).name) : "Error";
  const what = media === "video" ? "camera or microphone" : "microphone";
  const video = media === "video";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return { name, message: `Parley is not allowed to use your ${what}. Allow it in the browser's site settings (the icon left of the address), then try again.`, audioOnlyMayWork: video };
    case "NotFoundError":
    case "OverconstrainedError":
      return { name, message: video ? "No camera was found on this device." : "No microphone was found on this device.", audioOnlyMayWork: video };
    case "NotReadableError":
    case "AbortError":
      return { name, message: `Your ${what} is in use by another app or tab, or could not be started. Close the other app and try again.`, audioOnlyMayWork: video };
    case "TypeError":
      return { name, message: "This page cannot use a camera or microphone (it needs HTTPS).", audioOnlyMayWork: false };
    default:
      return { name, message: `Your ${what} could not be started.`, audioOnlyMayWork: video };
  }
}

export type DeviceChoice = { audioId?: string; videoId?: string };

/** The tracks for a call: audio always, video when asked. */
export async function openMedia(media: CallMedia, devices: DeviceChoice = {}): Promise<MediaStream> {
  if (typeof navigator === "undefined" || !navigator.mediaDevices?.getUserMedia) throw new TypeError("getUserMedia is not available");
  return navigator.mediaDevices.getUserMedia({
    audio: devices.audioId ? { deviceId: { exact: devices.audioId } } : { echoCancellation: true, noiseSuppression: true },
    video: media === "video" ? { ...(devices.videoId ? { deviceId: { exact: devices.videoId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 } } : false,
  });
}

export type Device = { id: string; label: string };

export async function listDevices(): Promise<{ microphones: Device[]; cameras: Device[] }> {
  const all = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  const pick = (kind: MediaDeviceKind, fallback: string) =>
    all.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ id: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
  return { microphones: pick("audioinput", "Microphone"), cameras: pick("videoinput", "Camera") };
}
