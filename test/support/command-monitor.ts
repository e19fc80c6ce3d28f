// The driver's command monitoring on this process's Parley database client, for tests that
// look at what reaches the database.
import type { CommandStartedEvent, CommandSucceededEvent, MongoClient } from "mongodb";
import { getDb } from "../../lib/db/client";

export async function watchCommands({
  started,
  succeeded,
}: {
  started?: (event: CommandStartedEvent) => void;
  succeeded?: (event: CommandSucceededEvent) => void;
}): Promise<void> {
  await getDb();
  const client = (globalThis as { __parleyDb?: { client: MongoClient } }).__parleyDb!.client;
  // Command monitoring is read when connections are made: turn it on, then reconnect the pool.
  (client as unknown as { monitorCommands: boolean }).monitorCommands = true;
  await client.close();
  await client.connect();
  if (started) client.on("commandStarted", started);
  if (succeeded) client.on("commandSucceeded", succeeded);
}
