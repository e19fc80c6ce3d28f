// The web app asks the socket server, which owns the per-user counters, to count a request, so
// sends over HTTP and over the socket spend one budget. Validated on arrival like every boundary.
import { z } from "zod";
import { POLICY_NAMES } from "./policies";

export const RATE_LIMIT_PATH = "/internal/rate-limit";

export const rateLimitRequestSchema = z.strictObject({
  op: z.enum(["consume", "refund", "reset"]),
  policy: z.enum(POLICY_NAMES),
  key: z.string().min(1).max(200),
  points: z.number().int().min(1).max(1000).default(1),
});
export type RateLimitRequest = z.input<typeof rateLimitRequestSchema>;

export const rateLimitDecisionSchema = z.object({
  allowed: z.boolean(),
  remaining: z.number(),
  retryAfterMs: z.number().min(0),
});
