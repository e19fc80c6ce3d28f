// POST /internal/rate-limit: the web app counts its HTTP requests against the budgets this
// process keeps for socket traffic, so a user's sends over both paths share one limit.
import type { IncomingMessage, ServerResponse } from "node:http";
import { localRateLimitStore } from "../lib/security/rate-limit";
import { rateLimitRequestSchema } from "../lib/security/rate-limit/internal";
import { hasInternalSecret, readBody } from "./internal-http";

export { RATE_LIMIT_PATH } from "../lib/security/rate-limit/internal";

const MAX_BODY = 4 * 1024;

async function answer(secret: string, req: IncomingMessage): Promise<[number, object]> {
  if (!hasInternalSecret(req, secret)) return [401, { ok: false }];
  const body = await readBody(req, MAX_BODY);
  if (body === null) return [413, { ok: false }];
  let parsed;
  try {
    parsed = rateLimitRequestSchema.safeParse(JSON.parse(body));
  } catch {
    return [400, { ok: false }];
  }
  if (!parsed.success) return [400, { ok: false }];
  const { op, policy, key, points } = parsed.data;
  const store = localRateLimitStore();
  if (op === "consume") return [200, await store.consume(policy, key, points)];
  if (op === "refund") await store.refund(policy, key, points);
  else await store.reset(policy, key);
  return [200, { allowed: true, remaining: 0, retryAfterMs: 0 }];
}

export async function handleRateLimitRequest(secret: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let status = 500;
  let body: object = { ok: false };
  try {
    [status, body] = await answer(secret, req);
  } catch (error) {
    console.error("[socket] rate-limit request failed:", (error as Error).message);
  }
  if (!res.headersSent) res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
