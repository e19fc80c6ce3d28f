const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** "14:05" today, "Mar 3" before: what a conversation list shows. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  const now = new Date();
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayFormat.format(date);
}

export function clockTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "last seen just now", "… 5 minutes ago", "… today at 14:05", "… yesterday at 09:12", "… Mar 3". */
export function lastSeenLabel(iso: string, now = Date.now()): string {
  const at = new Date(iso);
  const seconds = (now - at.getTime()) / 1000;
  // Also a time a little ahead of this device's clock.
  if (seconds < 60) return "last seen just now";
  if (seconds < 60 * 60) return `last seen ${relative.format(-Math.floor(seconds / 60), "minute")}`;
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return `last seen today at ${timeFormat.format(at)}`;
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (at.toDateString() === yesterday.toDateString()) return `last seen yesterday at ${timeFormat.format(at)}`;
  return `last seen ${dayFormat.format(at)}`;
}

const fullFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** "Thursday, December 3, 2026 at 06:20": what a message's time says on hover or focus. */
export function fullDate(iso: string): string {
  return fullFormat.format(new Date(iso));
}
