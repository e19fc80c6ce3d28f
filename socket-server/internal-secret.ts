import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { INTERNAL_SECRET_HEADER } from "../lib/realtime/internal-events";

/** Whether a request to an internal endpoint carries the shared secret (compared in constant time). */
export function hasInternalSecret(req: IncomingMessage, expected: string): boolean {
  const given = req.headers[INTERNAL_SECRET_HEADER];
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
