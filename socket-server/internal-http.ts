// What the socket server's internal endpoints (events, rate limits) share: the secret check
// and a body reader with a size cap.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { INTERNAL_SECRET_HEADER } from "../lib/fanout/internal-events";

/** Whether a request to an internal endpoint carries the shared secret (compared in constant time). */
export function hasInternalSecret(req: IncomingMessage, expected: string): boolean {
  const given = req.headers[INTERNAL_SECRET_HEADER];
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The request body as text, or null when it is larger than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
