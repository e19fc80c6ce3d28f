// A person's profile picture, or their initials on a colour of their own: the same colour on every
// screen and device, derived from the user id (a name can be shared by two people, an id cannot).
// Every colour holds white text at WCAG AA contrast.
import { useSyncExternalStore } from "react";
import { avatarUrl, avatarVersion, subscribeAvatars } from "@/lib/client/avatars";

const COLOURS = ["#4338ca", "#0f766e", "#b45309", "#be123c", "#7e22ce", "#1d4ed8", "#047857", "#c2410c", "#a21caf", "#475569"];

export function avatarColour(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length]!;
}

/** "Ana Lima" → "AL", "ben" → "B", "  " → "?"; letters beyond the Basic Multilingual Plane stay whole. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? "")][0] ?? "?";
  const last = words.length > 1 ? ([...words.at(-1)!][0] ?? "") : "";
  return (first + last).toUpperCase();
}

const SIZES = { xs: "h-6 w-6 text-[10px]", sm: "h-8 w-8 text-xs", md: "h-10 w-10 text-sm", lg: "h-16 w-16 text-xl" } as const;

/** The picture and the initials are decorative (the name is always written beside them); the online dot is announced. */
export function Avatar({ id, name, size = "sm", online }: { id: string; name: string; size?: keyof typeof SIZES; online?: boolean }) {
  // The server renders initials; the picture comes in once the page runs.
  const version = useSyncExternalStore(subscribeAvatars, () => avatarVersion(id), () => undefined);
  return (
    <span className="relative inline-flex shrink-0">
      {version ? (
        // eslint-disable-next-line @next/next/no-img-element -- a private, per-user image next/image cannot optimise
        <img src={avatarUrl(id, version)} alt="" aria-hidden className={`rounded-full object-cover ${SIZES[size]}`} style={{ backgroundColor: avatarColour(id) }} />
      ) : (
        <span
          aria-hidden
          className={`inline-flex select-none items-center justify-center rounded-full font-semibold text-white ${SIZES[size]}`}
          style={{ backgroundColor: avatarColour(id) }}
        >
          {initials(name)}
        </span>
      )}
      {online ? <span role="img" aria-label="online" data-testid="presence-dot" className="absolute -bottom-0.5 -right-0.5 h-3 w-3 rounded-full bg-emerald-500 ring-2 ring-surface" /> : null}
    </span>
  );
}

/** A group's avatar: its name's initials on the group's colour. */
export function GroupAvatar({ id, name, size = "sm" }: { id: string; name: string; size?: keyof typeof SIZES }) {
  return (
    <span aria-hidden className={`inline-flex shrink-0 select-none items-center justify-center rounded-xl font-semibold text-white ${SIZES[size]}`} style={{ backgroundColor: avatarColour(id) }}>
      {initials(name)}
    </span>
  );
}
