// What the UI derives from the state: ticks and titles.
import type { ConversationDto, MessageDto } from "../schemas/dto";

export type Delivery = {
  state: "sent" | "delivered" | "read";
  /** Other members, and how many of them have received and read this message. */
  others: number;
  deliveredTo: number;
  readBy: number;
  /** Who, by name: those who read it, and those it reached who have not read it yet (empty above READERS_NAMED_MAX others). */
  readers: string[];
  receivers: string[];
};

/** Above this many other members (a busy room), who read a message is told by count only, as the names would be a wall. */
export const READERS_NAMED_MAX = 20;

/** Ticks for my message: from the other members' watermarks, never from client clocks. */
export function deliveryOf(conversation: ConversationDto, message: MessageDto, { hideRead = false } = {}): Delivery {
  // With my read receipts off I see no one's read state either (their watermarks count as delivered).
  const others = conversation.members
    .filter((m) => m.id !== message.senderId)
    .map((m) => (hideRead ? { ...m, deliveredSeq: Math.max(m.deliveredSeq, m.readSeq), readSeq: 0 } : m));
  const deliveredTo = others.filter((m) => Math.max(m.deliveredSeq, m.readSeq) >= message.seq).length;
  const readBy = others.filter((m) => m.readSeq >= message.seq).length;
  const everyone = others.length;
  const state = everyone > 0 && readBy === everyone ? "read" : everyone > 0 && deliveredTo === everyone ? "delivered" : "sent";
  const named = everyone <= READERS_NAMED_MAX;
  const readers = named ? others.filter((m) => m.readSeq >= message.seq).map((m) => m.name) : [];
  const receivers = named ? others.filter((m) => m.readSeq < message.seq && Math.max(m.deliveredSeq, m.readSeq) >= message.seq).map((m) => m.name) : [];
  return { state, others: everyone, deliveredTo, readBy, readers, receivers };
}
