import { readVisibility } from "../../lib/chat";
import type { PresenceTracker } from "../presence/tracker";
import type { ParleySocket } from "../types";
import type { Route } from "./router";

/** Whether a socket's tab is in view, from the handshake (`auth.visible: true`; anything else is not). */
export function visibleAtHandshake(socket: ParleySocket): boolean {
  return (socket.handshake.auth as { visible?: unknown } | undefined)?.visible === true;
}

/** `visibility`: a tab came into view or left it. Kept with presence, where the push dispatcher asks who is attending. */
export function visibilityRoutes(presence: PresenceTracker): Record<string, Route> {
  return {
    visibility: {
      // About this user's own tabs only: a "read" token may say it.
      scope: "read",
      handle: async (socket, payload) => {
        const { visible } = readVisibility({ input: payload });
        presence.setVisible(socket, visible);
        return {};
      },
    },
  };
}
