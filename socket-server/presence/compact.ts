// A large group's presence frames, compact: a thousand members coming back after a restart each
// heard about the others in entries of about 70 bytes ({"userId":…,"online":true,"lastSeenAt":null}),
// some 100 MB written in the bench's reconnect storm. Whoever is online goes by id alone (27 bytes);
// whoever is offline keeps a full entry, with when they were last seen.
import type { ServerToClientEvents } from "../../lib/realtime/events";
import type { PresenceDto } from "../../lib/schemas/dto";

type PresenceFrame = Parameters<ServerToClientEvents["presence:snapshot"]>[0];

export function compact(presences: PresenceDto[]): PresenceFrame {
  const online: string[] = [];
  const users: PresenceDto[] = [];
  for (const presence of presences) {
    if (presence.online) online.push(presence.userId);
    else users.push(presence);
  }
  return online.length > 0 ? { users, online } : { users };
}
