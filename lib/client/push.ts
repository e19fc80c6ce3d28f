// Web Push in the browser: whether it can work here, and turning it on and off for this browser
// (permission, the service worker, the push subscription, and the server's copy of it). No React.
import type { PushDeviceDto, PushKeyDto } from "../schemas/push";
import { readJson } from "./read-json";

/** "unsupported": no service workers or Push API (an old browser, a private window in some). */
export type PushSupport = "supported" | "unsupported";

const FLAG = "parley:push";
const WORKER = "/sw.js";

export function pushSupport(): PushSupport {
  if (typeof window === "undefined") return "unsupported";
  return "serviceWorker" in navigator && "PushManager" in window && typeof Notification !== "undefined" ? "supported" : "unsupported";
}

/**
 * Whether this browser gets pushes (as far as this page knows): the page then leaves notifications
 * of hidden tabs to them, so nobody gets two for one message (lib/client/notifier.ts).
 */
export function pushOnHere(): boolean {
  try {
    return localStorage.getItem(FLAG) === "on" && typeof Notification !== "undefined" && Notification.permission === "granted";
  } catch {
    return false;
  }
}

function remember(on: boolean) {
  try {
    if (on) localStorage.setItem(FLAG, "on");
    else localStorage.removeItem(FLAG);
  } catch {
    // Storage refused (a private window): the page may then notify alongside a push.
  }
}

export async function pushKey(): Promise<PushKeyDto> {
  return readJson<PushKeyDto>(await fetch("/api/push/key"));
}

export async function listDevices(): Promise<PushDeviceDto[]> {
  return (await readJson<{ devices: PushDeviceDto[] }>(await fetch("/api/push/subscriptions"))).devices;
}

export async function removeDevice(id: string): Promise<void> {
  const response = await fetch(`/api/push/subscriptions/${encodeURIComponent(id)}`, { method: "DELETE" });
  if (!response.ok && response.status !== 404) await readJson(response);
}

/** This browser's push subscription, if it has one (without registering anything). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== "supported") return null;
  const registration = await navigator.serviceWorker.getRegistration(WORKER);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** A VAPID public key as the Push API wants it. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export class PushError extends Error {
  constructor(
    readonly reason: "denied" | "service" | "server",
    message: string,
  ) {
    super(message);
  }
}

/** Call from a click: asks for permission, registers the worker, subscribes with the server's key and stores the subscription. */
export async function enablePush(publicKey: string): Promise<PushDeviceDto> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new PushError("denied", "Notifications are blocked for this site in your browser's settings.");
  const registration = await navigator.serviceWorker.register(WORKER, { scope: "/" });
  await navigator.serviceWorker.ready;
  let subscription: PushSubscription;
  try {
    const existing = await registration.pushManager.getSubscription();
    subscription = existing ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  } catch {
    // Chromium without a reachable push service (no network, or a build without Google's keys) ends here.
    throw new PushError("service", "This browser could not reach its push service. Check your connection and try again.");
  }
  try {
    const { device } = await readJson<{ device: PushDeviceDto }>(
      await fetch("/api/push/subscriptions", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(subscription.toJSON()) }),
    );
    remember(true);
    return device;
  } catch (error) {
    throw new PushError("server", (error as Error).message);
  }
}

/** Stops push to this browser: the server forgets it and the browser unsubscribes. */
export async function disablePush(devices: PushDeviceDto[]): Promise<void> {
  const subscription = await currentSubscription();
  remember(false);
  const mine = devices.find((device) => device.endpoint === subscription?.endpoint);
  if (mine) await removeDevice(mine.id);
  await subscription?.unsubscribe();
}
