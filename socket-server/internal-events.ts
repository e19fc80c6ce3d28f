// POST /internal/events: a write the web app made over HTTP, fanned out here (without Redis; with
// it the web app writes to the adapter's stream itself, see lib/fanout/stream-emitter.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import { fanOut, type Broadcaster } from "../lib/fanout/fanout";
import { internalEventSchema, type InternalEvent } from "../lib/fanout/internal-events";
import { pushEventOf, type PushEvent } from "../lib/push/notify";
import { hasInternalSecret, readBody } from "./internal-http";

const MAX_BODY = 256 * 1024;

export async function handleInternalEvent(
  broadcaster: Broadcaster,
  notify: (event: PushEvent) => void,
  secret: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const reply = (status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  if (!hasInternalSecret(req, secret)) return reply(401, { ok: false });
  const body = await readBody(req, MAX_BODY);
  if (body === null) return reply(413, { ok: false });
  let parsed;
  try {
    parsed = internalEventSchema.safeParse(JSON.parse(body));
  } catch {
    return reply(400, { ok: false });
  }
  if (!parsed.success) return reply(400, { ok: false });
  const event = parsed.data as InternalEvent;
  fanOut(broadcaster, event);
  reply(202, { ok: true });
  // Without Redis every announcement reaches this one socket server once: the place to decide about push.
  const push = pushEventOf(event);
  if (push) notify(push);
}
