"use client";

import { useId } from "react";
import type { Delivery } from "@/lib/client/views";
import type { ReplyPreview } from "@/lib/schemas/dto";

/** The quoted original inside a reply: who and what, and a way to it. */
export function Quote({ preview, mine, onJump }: { preview: ReplyPreview; mine: boolean; onJump?: (preview: ReplyPreview) => void }) {
  return (
    <button
      type="button"
      data-testid="reply-quote"
      onClick={() => onJump?.(preview)}
      aria-label={`Show the message ${preview.senderName} wrote`}
      className={`mb-1 block w-full min-w-0 rounded-md border-l-4 px-2 py-1 text-left text-xs ${
        mine ? "border-white/70 bg-white/15 hover:bg-white/25" : "border-accent bg-sunken hover:bg-hover"
      }`}
    >
      <span className="block font-semibold">{preview.senderName}</span>
      <span className="line-clamp-2 opacity-90" data-testid="reply-excerpt" dir="auto">
        {preview.excerpt || "Original message deleted"}
      </span>
    </button>
  );
}

const WORDS = { sent: "Sent", delivered: "Delivered", read: "Read" } as const;

/**
 * ✓ stored, ✓✓ on every other member's device, bright ✓✓ read by all. Groups say "Read by N" and
 * tell who, on hover or focus: who read it, and who has it but has not read it yet.
 */
export function DeliveryTicks({ delivery, group }: { delivery: Delivery; group: boolean }) {
  const tooltipId = useId();
  const detail = `Delivered to ${delivery.deliveredTo} of ${delivery.others}, read by ${delivery.readBy} of ${delivery.others}`;
  const partlyRead = group && delivery.readBy > 0 && delivery.state !== "read";
  const word = partlyRead ? `Read by ${delivery.readBy}` : WORDS[delivery.state];
  return (
    <span className="group/ticks relative inline-flex">
      <span
        tabIndex={group ? 0 : undefined}
        data-testid="delivery"
        data-delivery={delivery.state}
        aria-describedby={group ? tooltipId : undefined}
        title={group ? undefined : word}
        className={`inline-flex items-center gap-0.5 rounded ${delivery.state === "read" ? "text-sky-200" : "text-mine-muted"}`}
      >
        <Ticks double={delivery.state !== "sent"} />
        {partlyRead ? <span className="text-[11px]">{delivery.readBy}</span> : null}
        <span className="sr-only">{word}</span>
      </span>
      {group ? (
        <span
          role="tooltip"
          id={tooltipId}
          className="pointer-events-none absolute bottom-full right-0 z-20 mb-1 hidden flex-col whitespace-nowrap rounded-md bg-slate-900 px-2 py-1 text-left text-xs text-white shadow-lg group-focus-within/ticks:flex group-hover/ticks:flex"
        >
          <span data-testid="delivery-counts">{detail}</span>
          {delivery.readers.length > 0 ? <span data-testid="read-by">Read by: {delivery.readers.join(", ")}</span> : null}
          {delivery.receivers.length > 0 ? <span data-testid="delivered-to">Delivered, not read: {delivery.receivers.join(", ")}</span> : null}
        </span>
      ) : null}
    </span>
  );
}

function Ticks({ double }: { double: boolean }) {
  return (
    <svg width={double ? 18 : 12} height="12" viewBox={double ? "0 0 18 12" : "0 0 12 12"} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M1.5 6.5 4.5 9.5 10.5 2.5" />
      {double ? <path d="M8 9.5 8.5 9.5 14.5 2.5" /> : null}
    </svg>
  );
}

/** A clock for a message still on its way. */
export function ClockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
      <circle cx="6" cy="6" r="4.5" />
      <path d="M6 3.5V6l1.5 1" strokeLinecap="round" />
    </svg>
  );
}
