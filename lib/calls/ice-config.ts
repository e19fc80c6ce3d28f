// The RTCConfiguration a browser gets for a call: the configured STUN/TURN servers, and, when a
// coturn secret is set, a TURN entry with credentials minted for this user alone.
import type { IceConfig, IceServer } from "../schemas/ice";
import { mintTurnCredentials } from "./turn-credentials";

export type IceSettings = {
  ICE_SERVERS: IceServer[];
  ICE_TRANSPORT_POLICY: IceConfig["iceTransportPolicy"];
  TURN_SECRET?: string | undefined;
  TURN_URLS?: string[] | undefined;
  TURN_TTL_SECONDS: number;
};

export function iceConfig({ settings, userId, now }: { settings: IceSettings; userId: string; now: Date }): IceConfig {
  const iceServers = settings.ICE_SERVERS.map((server) => ({ ...server }));
  // lib/env.js refuses one of the pair without the other, so either both are set or neither.
  if (!settings.TURN_SECRET || !settings.TURN_URLS) {
    return { iceServers, iceTransportPolicy: settings.ICE_TRANSPORT_POLICY, expiresAt: null };
  }
  const { username, credential, expiresAt } = mintTurnCredentials({ secret: settings.TURN_SECRET, userId, ttlSeconds: settings.TURN_TTL_SECONDS, now });
  iceServers.push({ urls: settings.TURN_URLS, username, credential });
  return { iceServers, iceTransportPolicy: settings.ICE_TRANSPORT_POLICY, expiresAt: expiresAt.toISOString() };
}
