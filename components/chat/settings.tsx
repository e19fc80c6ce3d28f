"use client";

import { useEffect, useState } from "react";
import { updateSettingsAction } from "@/app/(chat)/actions";
import type { ChatEngine } from "@/lib/client/engine";
import type { Settings } from "@/lib/schemas/user";
import { applyTheme, type Theme } from "../theme";

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

/** The theme in use on this device, and a way to change it. */
export function useTheme(initial: Theme): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState(initial);
  return [
    theme,
    (next) => {
      applyTheme(next);
      setTheme(next);
    },
  ];
}
