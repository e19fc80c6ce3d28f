import { runRoute } from "@/lib/auth/adapters";
import { iceConfig } from "@/lib/calls/ice-config";
import { getServerEnv } from "@/lib/env";

/**
 * The ICE servers for a call, with TURN credentials minted for the caller. The browser fetches it
 * directly, as it does its realtime token: a read of configuration, not a use case of lib/chat.
 * Never cached: the credentials are the user's own and expire.
 */
export async function GET() {
  return runRoute("calls/ice", async (user) => {
    const config = iceConfig({ settings: getServerEnv(), userId: user.id, now: new Date() });
    return Response.json(config, { headers: { "cache-control": "no-store" } });
  });
}
