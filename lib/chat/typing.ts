// Typing signals: volatile, never stored, sent per keystroke (throttled). Membership is what
// authorizes one, as for every conversation action, but it comes from what the caller's
// connection has joined (kept in step with memberships by the socket server) rather than a
// database read per keystroke; only a conversation it has not joined is looked up. A tab's
// visibility is a signal of the same kind: never stored, about the sender's own connection.
import { typingSchema, visibilitySchema, type TypingInput, type VisibilityInput } from "../schemas/conversation";
import { oid, parseInput, type Actor } from "./ids";
import { requireMembership } from "./membership";

/**
 * Validates a typing signal and checks that the user is a member of its conversation: `joined`
 * says whether the connection already holds that membership. Not a member (or no such
 * conversation) is NOT_FOUND, as everywhere.
 */
export async function authorizeTyping({
  userId,
  input,
  joined,
}: Actor & { input: unknown; joined: (conversationId: string) => boolean }): Promise<TypingInput> {
  const data = parseInput(typingSchema, input);
  if (!joined(data.conversationId)) {
    await requireMembership({ conversationId: oid(data.conversationId), userId: oid(userId) });
  }
  return data;
}

/** Validates a tab's visibility signal; it concerns only the sender's own socket, so there is nothing to authorize. */
export function readVisibility({ input }: { input: unknown }): VisibilityInput {
  return parseInput(visibilitySchema, input);
}
