// Client state of presence and typing: what the socket said, nothing stored. Emptied when the
// connection drops, because then this client cannot know, and refilled by the snapshot the
// server sends on every connection.
import type { PresenceDto } from "../schemas/dto";
import type { UploadActivity } from "../schemas/file";

export type PresenceState = {
  /** The presence of people who share a conversation with me, as far as the server has told. */
  users: Record<string, PresenceDto>;
  /** Who is typing in each conversation, in the order they started. */
  typing: Record<string, string[]>;
  /** Of those, the ones sending files rather than typing, and what ("photo"), per conversation. */
  sending: Record<string, Record<string, UploadActivity>>;
};

export const emptyPresence: PresenceState = { users: {}, typing: {}, sending: {} };

export type PresenceAction =
  | { type: "presence/merge"; users: PresenceDto[] }
  | { type: "typing/set"; conversationId: string; userIds: string[]; activities?: Record<string, UploadActivity> }
  | { type: "presence/clear" };

export function presenceReducer(state: PresenceState, action: PresenceAction): PresenceState {
  switch (action.type) {
    case "presence/merge": {
      if (action.users.length === 0) return state;
      const users = { ...state.users };
      for (const presence of action.users) users[presence.userId] = presence;
      return { ...state, users };
    }
    case "typing/set": {
      const typing = { ...state.typing };
      const sending = { ...state.sending };
      if (action.userIds.length > 0) typing[action.conversationId] = action.userIds;
      else delete typing[action.conversationId];
      if (action.activities && Object.keys(action.activities).length > 0) sending[action.conversationId] = action.activities;
      else delete sending[action.conversationId];
      return { ...state, typing, sending };
    }
    case "presence/clear":
      return state === emptyPresence ? state : emptyPresence;
  }
}
