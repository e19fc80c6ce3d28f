// The web app's side of the socket server's internal endpoints (events, rate limits): JSON over
// HTTP on the internal URL, with the shared secret, never waiting longer than `timeoutMs`.
import { getServerEnv } from "../env";
import { INTERNAL_SECRET_HEADER } from "./internal-events";

export async function postInternal(path: string, body: unknown, timeoutMs: number): Promise<Response> {
  const env = getServerEnv();
  return fetch(new URL(path, env.SOCKET_INTERNAL_URL), {
    method: "POST",
    headers: { "content-type": "application/json", [INTERNAL_SECRET_HEADER]: env.INTERNAL_EVENTS_SECRET },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}
