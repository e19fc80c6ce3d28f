import type { Db, IndexDescription } from "mongodb";
import { conversationIndexes } from "./conversations";
import { membershipIndexes } from "./memberships";
import { messageIndexes } from "./messages";
import { userIndexes } from "./users";

/**
 * Creates every index; an index that already exists is a no-op, so this runs at every start.
 * One index per command: FerretDB 1.24 panics on a createIndexes listing two or more indexes
 * that already exist (it deletes from the list it is iterating by the original position).
 */
export async function applyIndexes(db: Db): Promise<void> {
  // Built here, not at module scope: the collection modules import the client, which imports this.
  const indexes: Record<string, IndexDescription[]> = {
    users: userIndexes,
    conversations: conversationIndexes,
    memberships: membershipIndexes,
    messages: messageIndexes,
  };
  await Promise.all(
    Object.entries(indexes).map(async ([name, list]) => {
      for (const index of list) await db.collection(name).createIndexes([index]);
    }),
  );
}
