"use client";

import { useEffect, useState } from "react";
import { currentSubscription, disablePush, enablePush, listDevices, pushKey, pushSupport, removeDevice } from "@/lib/client/push";
import type { PushDeviceDto } from "@/lib/schemas/push";
import { useTask } from "./use-task";

type Phase =
  | { name: "loading" }
  | { name: "unsupported" }
  | { name: "server-off" }
  | { name: "ready"; publicKey: string; endpoint: string | null };

const secondary = "rounded-lg border border-line px-3 py-1.5 font-medium hover:bg-hover disabled:opacity-60";
const primary = "rounded-lg bg-accent px-3 py-1.5 font-medium text-accent-fg disabled:opacity-60";

/**
 * Push notifications for when no Parley tab is open: on or off for this browser, and the devices
 * that get them, each removable. Shown in Settings under Notifications.
 */
export function PushSettings() {
  const [phase, setPhase] = useState<Phase>({ name: "loading" });
  const [devices, setDevices] = useState<PushDeviceDto[]>([]);
  const [denied, setDenied] = useState(false);
  // A refusal may come from the permission prompt: look again whether it is now denied.
  const { busy, error, run } = useTask(() => setDenied(typeof Notification !== "undefined" && Notification.permission === "denied"));

  useEffect(() => {
    let live = true;
    void (async () => {
      if (pushSupport() !== "supported") return live && setPhase({ name: "unsupported" });
      try {
        const [key, list, subscription] = await Promise.all([pushKey(), listDevices(), currentSubscription()]);
        if (!live) return;
        setDevices(list);
        setDenied(Notification.permission === "denied");
        setPhase(key.enabled ? { name: "ready", publicKey: key.publicKey, endpoint: subscription?.endpoint ?? null } : { name: "server-off" });
      } catch {
        if (live) setPhase({ name: "server-off" });
      }
    })();
    return () => {
      live = false;
    };
  }, []);

  if (phase.name === "loading") return <p className="text-sm text-muted">Checking this browser…</p>;
  if (phase.name === "unsupported") return <Note>This browser cannot receive notifications while Parley is closed.</Note>;
  if (phase.name === "server-off") return <Note>Notifications while Parley is closed are not set up on this server.</Note>;

  const here = phase.endpoint !== null && devices.some((device) => device.endpoint === phase.endpoint);
  const turnOn = () =>
    run(async () => {
      const device = await enablePush(phase.publicKey);
      setDevices((list) => [device, ...list.filter((d) => d.id !== device.id)]);
      setPhase({ ...phase, endpoint: device.endpoint });
    });
  const turnOff = () =>
    run(async () => {
      await disablePush(devices);
      setDevices((list) => list.filter((d) => d.endpoint !== phase.endpoint));
      setPhase({ ...phase, endpoint: null });
    });
  const remove = (device: PushDeviceDto) =>
    run(async () => {
      if (device.endpoint === phase.endpoint) return turnOff();
      await removeDevice(device.id);
      setDevices((list) => list.filter((d) => d.id !== device.id));
    });

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="push-settings">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 flex-1">
          Notifications when Parley is closed
          <span className="block text-xs text-muted">
            {here ? "On for this device: messages, mentions and calls reach it while no Parley tab is in view." : "Get messages, mentions and calls on this device while no Parley tab is in view. Muted conversations stay silent."}
          </span>
        </p>
        {here ? (
          <button type="button" className={secondary} disabled={busy} onClick={() => void turnOff()}>
            Turn off
          </button>
        ) : (
          <button type="button" className={primary} disabled={busy || denied} onClick={() => void turnOn()}>
            Turn on
          </button>
        )}
      </div>
      <p role="status" className={error ? "text-danger" : "sr-only"}>
        {busy ? "Working…" : error}
      </p>
      {devices.length > 0 ? (
        <ul aria-label="Devices that get notifications" className="flex flex-col divide-y divide-line rounded-xl border border-line">
          {devices.map((device) => (
            <li key={device.id} className="flex items-center gap-3 px-3 py-2">
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">
                  {device.device}
                  {device.endpoint === phase.endpoint ? <span className="ml-2 rounded-full bg-selected px-2 py-0.5 text-xs font-normal">This device</span> : null}
                </span>
                <span className="block text-xs text-muted">{deviceDates(device)}</span>
              </span>
              <button type="button" className="rounded-lg px-2 py-1 text-muted hover:bg-hover hover:text-fg disabled:opacity-60" disabled={busy} onClick={() => void remove(device)} aria-label={`Remove ${device.device}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Note({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-muted">{children}</p>;
}

const day = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

function deviceDates(device: PushDeviceDto): string {
  const added = `Added ${day.format(new Date(device.createdAt))}`;
  return device.lastPushAt ? `${added} · last notified ${day.format(new Date(device.lastPushAt))}` : added;
}
