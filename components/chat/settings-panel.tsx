"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { avatarVersion, learnAvatars, subscribeAvatars } from "@/lib/client/avatars";
import type { Settings } from "@/lib/schemas/user";
import { THEMES, type Theme } from "../theme";
import { Avatar } from "./avatar";
import { Modal } from "./modal";
import { AccessTokenSettings } from "./access-tokens-settings";
import { PushSettings } from "./push-settings";
import { ServerRole } from "./rooms/server-role";

// Loaded when Settings is first opened (see lazy-parts.ts), not with the page.

const THEME_NAMES: Record<Theme, string> = { system: "Match this device", light: "Light", dark: "Dark" };

/** Profile, privacy, notifications and appearance in one place, with signing out at the end. */
export function SettingsPanel({
  me,
  settings,
  onChange,
  theme,
  onTheme,
  onClose,
  onSignOut,
}: {
  me: { id: string; name: string; email?: string };
  settings: Settings;
  onChange: (next: Settings) => Promise<void>;
  theme: Theme;
  onTheme: (theme: Theme) => void;
  onClose: () => void;
  onSignOut: () => void;
}) {
  return (
    <Modal title="Settings" onClose={onClose}>
      <div className="flex flex-col gap-6">
        <section aria-label="Profile" className="flex items-center gap-3">
          <Avatar id={me.id} name={me.name} size="lg" />
          <div className="min-w-0">
            <p className="truncate text-lg font-semibold">{me.name}</p>
            {me.email ? <p className="truncate text-sm text-muted">{me.email}</p> : null}
            <ProfilePicture me={me} />
          </div>
        </section>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-semibold">Appearance</legend>
          <div className="grid grid-cols-3 gap-2">
            {THEMES.map((option) => (
              <label
                key={option}
                className={`flex cursor-pointer flex-col items-center gap-1 rounded-xl border px-2 py-3 text-center text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${
                  theme === option ? "border-accent bg-selected" : "border-line hover:bg-hover"
                }`}
              >
                <input type="radio" name="theme" value={option} checked={theme === option} onChange={() => onTheme(option)} className="sr-only" />
                <ThemeSwatch theme={option} />
                {THEME_NAMES[option]}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset className="flex flex-col gap-3">
          <legend className="mb-2 text-sm font-semibold">Privacy</legend>
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 h-4 w-4 accent-indigo-600"
              checked={settings.readReceipts}
              onChange={(event) => void onChange({ ...settings, readReceipts: event.target.checked })}
              aria-describedby="read-receipts-help"
            />
            <span>
              Read receipts
              <span id="read-receipts-help" className="block text-xs text-muted">
                When off, others do not see when you read their messages, and you do not see when they read yours.
              </span>
            </span>
          </label>
        </fieldset>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-semibold">Notifications</legend>
          <NotificationSetting />
          <PushSettings />
        </fieldset>

        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 text-sm font-semibold">Developer access</legend>
          <AccessTokenSettings />
        </fieldset>

        <ServerRole me={me.id} />

        <button type="button" onClick={onSignOut} className="self-start rounded-lg border border-line px-4 py-2 text-sm font-medium text-danger hover:bg-hover">
          Sign out
        </button>
      </div>
    </Modal>
  );
}

const PICTURE_TYPES = "image/jpeg,image/png,image/gif,image/webp,image/avif";

/** Choosing, replacing or removing one's profile picture; everyone who sees this person gets the new one live. */
function ProfilePicture({ me }: { me: { id: string } }) {
  const version = useSyncExternalStore(subscribeAvatars, () => avatarVersion(me.id), () => undefined);
  const [status, setStatus] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const change = async (method: "PUT" | "DELETE", body?: File) => {
    setStatus({ busy: true, error: null });
    try {
      const response = await fetch("/api/settings/avatar", { method, body });
      const answer = (await response.json()) as { avatar?: string | null; error?: { message: string } };
      if (!response.ok) throw new Error(answer.error?.message ?? "The picture could not be saved");
      learnAvatars([{ id: me.id, avatar: answer.avatar ?? null }]);
      setStatus({ busy: false, error: null });
    } catch (error) {
      setStatus({ busy: false, error: error instanceof TypeError ? "You are offline; try again when you are back online" : (error as Error).message });
    }
  };
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <label className={`cursor-pointer rounded-lg border border-line px-3 py-1.5 font-medium hover:bg-hover has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${status.busy ? "pointer-events-none opacity-60" : ""}`}>
        {version ? "Change picture" : "Add a picture"}
        <input
          type="file"
          accept={PICTURE_TYPES}
          className="sr-only"
          disabled={status.busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = "";
            if (file) void change("PUT", file);
          }}
        />
      </label>
      {version ? (
        <button type="button" disabled={status.busy} onClick={() => void change("DELETE")} className="rounded-lg px-3 py-1.5 text-muted hover:bg-hover hover:text-fg disabled:opacity-60">
          Remove
        </button>
      ) : null}
      <span role="status" className={status.error ? "basis-full text-danger" : "text-muted"}>
        {status.busy ? "Saving…" : status.error}
      </span>
    </div>
  );
}

function ThemeSwatch({ theme }: { theme: Theme }) {
  const half = (colour: string, side: "left" | "right") => <span className={`h-full w-1/2 ${side === "left" ? "rounded-l-md" : "rounded-r-md"}`} style={{ backgroundColor: colour }} />;
  return (
    <span aria-hidden className="flex h-8 w-12 overflow-hidden rounded-md ring-1 ring-line">
      {theme === "system" ? (
        <>
          {half("#f1f5f9", "left")}
          {half("#0f172a", "right")}
        </>
      ) : (
        <span className="h-full w-full" style={{ backgroundColor: theme === "light" ? "#f1f5f9" : "#0f172a" }} />
      )}
    </span>
  );
}

/** The browser's permission, and the button that asks for it (browsers ask only on a click). */
function NotificationSetting() {
  const [permission, setPermission] = useState<string>("unsupported");
  useEffect(() => {
    // Known only in the browser, after the server-rendered first paint.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);
  if (permission === "granted") return <p className="text-sm text-muted">Desktop notifications are on for messages that arrive while Parley is in the background.</p>;
  if (permission === "denied") return <p className="text-sm text-muted">Notifications are blocked in this browser&apos;s site settings.</p>;
  if (permission === "unsupported") return <p className="text-sm text-muted">This browser cannot show notifications.</p>;
  return (
    <div className="flex flex-col items-start gap-2 text-sm">
      <p className="text-muted">Get a desktop notification when a message arrives while Parley is in the background.</p>
      <button type="button" className="rounded-lg bg-accent px-3 py-1.5 font-medium text-accent-fg" onClick={() => void Notification.requestPermission().then(setPermission)}>
        Enable notifications
      </button>
    </div>
  );
}

