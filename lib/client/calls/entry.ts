// The call entry a conversation keeps for each call, as the person looking at it reads it: the
// server writes one sentence for previews ("Missed voice call"), but the caller of a missed call
// did not miss anything: they see "Voice call · No answer".
import { formatDuration } from "../../calls/duration";
import type { CallEntryDto } from "../../schemas/dto";

export { formatDuration };

export type CallEntryView = {
  /** "Video call · 3:12", "Missed voice call", … */
  title: string;
  direction: "outgoing" | "incoming";
  /** Missed, declined, failed: shown in the danger colour to the one who should notice. */
  alert: boolean;
};

export function callEntryView(entry: CallEntryDto, me: string): CallEntryView {
  const outgoing = entry.callerId === me;
  const kind = entry.media === "video" ? "video call" : "voice call";
  const Kind = entry.media === "video" ? "Video call" : "Voice call";
  const direction = outgoing ? "outgoing" : "incoming";
  switch (entry.outcome) {
    case "completed":
      return { title: entry.durationMs === null ? Kind : `${Kind} · ${formatDuration(entry.durationMs)}`, direction, alert: false };
    case "missed":
      return outgoing ? { title: `${Kind} · No answer`, direction, alert: false } : { title: `Missed ${kind}`, direction, alert: true };
    case "declined":
      return outgoing ? { title: `${Kind} · Declined`, direction, alert: false } : { title: `Declined ${kind}`, direction, alert: false };
    case "busy":
      return outgoing ? { title: `${Kind} · Busy`, direction, alert: false } : { title: `Missed ${kind} · you were on another call`, direction, alert: true };
    case "cancelled":
      return outgoing ? { title: `Cancelled ${kind}`, direction, alert: false } : { title: `Missed ${kind}`, direction, alert: true };
    case "failed":
      return { title: `${Kind} · Failed`, direction, alert: true };
  }
}
