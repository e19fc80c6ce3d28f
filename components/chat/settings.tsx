"use client";

import { useEffect, useState } from "react";
import { updateSettingsAction } from "@/app/(chat)/actions";
import type { ChatEngine } from "@/lib/client/engine";
import type { Settings } from "@/lib/schemas/user";

/** The user's settings: changed here at once, saved, and kept in step with their other tabs. */
export function useSettings(engine: ChatEngine | null, initial: Settings): [Settings, (next: Settings) => Promise<void>] {
  const [settings, setSettings] = useState(initial);
  useEffect(() => {
    const socket = engine?.client.socket;
    const heard = ({ settings: next }: { settings: Settings }) => setSettings(next);
    socket?.on("settings:updated", heard);
    return () => void socket?.off("settings:updated", heard);
  }, [engine]);
  const save = async (next: Settings) => {
    const before = settings;
    setSettings(next);
    const result = await updateSettingsAction(next);
    setSettings(result.ok ? result.data.settings : before);
  };
  return [settings, save];
}

export function SettingsControl({ settings, onChange }: { settings: Settings; onChange: (next: Settings) => Promise<void> }) {
  return (
    <label className="mt-1 flex items-center gap-1 text-xs text-slate-600" title="When off, others do not see when you read their messages, and you do not see when they read yours.">
      <input type="checkbox" checked={settings.readReceipts} onChange={(event) => void onChange({ ...settings, readReceipts: event.target.checked })} />
      Read receipts
    </label>
  );
}
