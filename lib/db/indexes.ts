import type { Db, IndexDescription } from "mongodb";
import { conversationIndexes } from "./conversations";
import { membershipIndexes } from "./memberships";
import { messageIndexes } from "./messages";
import { userIndexes } from "./users";

/** Creates every index, one command per collection; an index that already exists is a no-op, so this runs at every start. */
export async function applyIndexes(db: Db): Promise<void> {
  // Built here, not at module scope: the collection modules import the client, which imports this.
  const indexes: Record<string, IndexDescription[]> = {
    users: userIndexes,
    conversations: conversationIndexes,
    memberships: membershipIndexes,
    messages: messageIndexes,
  };
  await Promise.all(
    Object.entries(indexes).map(([name, list]) => db.collection(name).createIndexes(list)),
  );
}
