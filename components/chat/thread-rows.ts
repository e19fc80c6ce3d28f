// What the thread shows, in order: a separator at each new day, the "New messages" divider
// before the first message that was unread when the conversation was opened, and each message
// marked as the first and/or last of a run by one sender, so the name and avatar show once per run.
import type { Pending } from "@/lib/client/chat-state";
import type { MessageDto } from "@/lib/schemas/dto";

/** Messages from one sender closer together than this form one run. */
export const RUN_GAP_MS = 5 * 60 * 1000;

export type Row =
  | { kind: "day"; key: string; label: string }
  | { kind: "unread"; key: string }
  | { kind: "system"; key: string; message: MessageDto }
  | { kind: "call"; key: string; message: MessageDto }
  | { kind: "message"; key: string; message: MessageDto; first: boolean; last: boolean }
  | { kind: "pending"; key: string; pending: Pending; first: boolean; last: boolean };

const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const dateWithYear = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric", year: "numeric" });

const dayKey = (at: Date) => `${at.getFullYear()}-${at.getMonth()}-${at.getDate()}`;

/** "Today", "Yesterday", "Monday, March 3", or with the year when it is not this one. */
export function dayLabel(at: Date, now: Date): string {
  if (dayKey(at) === dayKey(now)) return "Today";
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (dayKey(at) === dayKey(yesterday)) return "Yesterday";
  return (at.getFullYear() === now.getFullYear() ? dateFormat : dateWithYear).format(at);
}

type Item =
  | { kind: "stored"; message: MessageDto; at: Date; sender: string | null }
  | { kind: "pending"; pending: Pending; at: Date; sender: string };

export function threadRows({
  messages,
  pending,
  me,
  unreadAfterSeq,
  now = new Date(),
}: {
  messages: MessageDto[];
  pending: Pending[];
  me: string;
  /** The divider goes before the first message from someone else with a higher seq; null for none. */
  unreadAfterSeq: number | null;
  now?: Date;
}): Row[] {
  const items: Item[] = [
    ...messages
      .filter((message) => !message.hidden)
      .map((message) => ({ kind: "stored" as const, message, at: new Date(message.createdAt), sender: message.kind === "system" || message.kind === "call" ? null : message.senderId })),
    ...pending.map((p) => ({ kind: "pending" as const, pending: p, at: new Date(p.createdAt), sender: me })),
  ];
  const rows: Row[] = [];
  let lastDay: string | null = null;
  let dividerPlaced = unreadAfterSeq === null;
  for (const item of items) {
    const day = dayKey(item.at);
    if (day !== lastDay) {
      rows.push({ kind: "day", key: `day-${day}`, label: dayLabel(item.at, now) });
      lastDay = day;
    }
    if (!dividerPlaced && item.kind === "stored" && item.message.seq > unreadAfterSeq! && item.message.senderId !== me) {
      rows.push({ kind: "unread", key: "unread-divider" });
      dividerPlaced = true;
    }
    const previous = rows.at(-1);
    const continues =
      item.sender !== null &&
      previous !== undefined &&
      (previous.kind === "message" || previous.kind === "pending") &&
      senderOf(previous, me) === item.sender &&
      item.at.getTime() - atOf(previous).getTime() < RUN_GAP_MS;
    if (continues) previous.last = false;
    if (item.kind === "stored" && item.message.kind === "call") rows.push({ kind: "call", key: item.message.id, message: item.message });
    else if (item.kind === "stored" && item.sender === null) rows.push({ kind: "system", key: item.message.id, message: item.message });
    else if (item.kind === "stored") rows.push({ kind: "message", key: item.message.id, message: item.message, first: !continues, last: true });
    else rows.push({ kind: "pending", key: item.pending.clientMsgId, pending: item.pending, first: !continues, last: true });
  }
  return rows;
}

function senderOf(row: Extract<Row, { kind: "message" | "pending" }>, me: string): string {
  return row.kind === "message" ? row.message.senderId : me;
}

function atOf(row: Extract<Row, { kind: "message" | "pending" }>): Date {
  return row.kind === "message" ? new Date(row.message.createdAt) : new Date(row.pending.createdAt);
}
