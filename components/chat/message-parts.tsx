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
      className={`my-1 block w-full truncate border-l-4 px-2 py-0.5 text-left text-xs ${mine ? "border-indigo-200 bg-indigo-500" : "border-indigo-400 bg-slate-100"}`}
    >
      <span className="font-semibold">{preview.senderName}</span>{" "}
      <span data-testid="reply-excerpt">{preview.excerpt || "Original message deleted"}</span>
    </button>
  );
}

const TICKS = { sent: "✓", delivered: "✓✓", read: "✓✓" } as const;
const WORDS = { sent: "Sent", delivered: "Delivered", read: "Read" } as const;

/**
 * ✓ stored, ✓✓ on every other member's device, bright ✓✓ read by all. Groups say "Read by N" and
 * tell who, on hover or focus: who read it, and who has it but has not read it yet.
 */
export function DeliveryTicks({ delivery, group }: { delivery: Delivery; group: boolean }) {
  const tooltipId = useId();
  const detail = `Delivered to ${delivery.deliveredTo} of ${delivery.others}, read by ${delivery.readBy} of ${delivery.others}`;
  const word = group && delivery.readBy > 0 && delivery.state !== "read" ? `Read by ${delivery.readBy}` : WORDS[delivery.state];
  return (
    <p className="group relative mt-1 flex justify-end text-xs">
      <span
        tabIndex={group ? 0 : undefined}
        data-testid="delivery"
        data-delivery={delivery.state}
        aria-describedby={group ? tooltipId : undefined}
        className={`rounded px-1 focus:outline-none focus:ring-2 focus:ring-white ${delivery.state === "read" ? "text-sky-200 font-bold" : "text-indigo-100"}`}
      >
        <span aria-hidden>{TICKS[delivery.state]} </span>
        {word}
      </span>
      {group ? (
        <span
          role="tooltip"
          id={tooltipId}
          className="pointer-events-none absolute bottom-full right-0 z-10 mb-1 hidden flex-col whitespace-nowrap rounded bg-slate-900 px-2 py-1 text-left text-white shadow group-focus-within:flex group-hover:flex"
        >
          <span data-testid="delivery-counts">{detail}</span>
          {delivery.readers.length > 0 ? <span data-testid="read-by">Read by: {delivery.readers.join(", ")}</span> : null}
          {delivery.receivers.length > 0 ? <span data-testid="delivered-to">Delivered, not read: {delivery.receivers.join(", ")}</span> : null}
        </span>
      ) : null}
    </p>
  );
}
