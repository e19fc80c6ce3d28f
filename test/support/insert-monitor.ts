// Watches this process's inserts into the messages collection through the driver's command
// monitoring: how many documents each carried, and how many a unique index refused part of.
import type { MongoClient } from "mongodb";
import { getDb } from "../../lib/db/client";

export type InsertMonitor = { sizes: number[]; refused: number };

export async function monitorMessageInserts(): Promise<InsertMonitor> {
  await getDb();
  const client = (globalThis as { __parleyDb?: { client: MongoClient } }).__parleyDb!.client;
  // Command monitoring is read when connections are made: turn it on, then reconnect the pool.
  (client as unknown as { monitorCommands: boolean }).monitorCommands = true;
  await client.close();
  await client.connect();
  const monitor: InsertMonitor = { sizes: [], refused: 0 };
  const ours = new Set<number>();
  client.on("commandStarted", (event) => {
    const command = event.command as { insert?: string; documents?: unknown[] };
    if (event.commandName !== "insert" || command.insert !== "messages") return;
    ours.add(event.requestId);
    monitor.sizes.push(command.documents?.length ?? 0);
  });
  client.on("commandSucceeded", (event) => {
    if (!ours.delete(event.requestId)) return;
    const { writeErrors } = event.reply as { writeErrors?: { code: number }[] };
    if (writeErrors?.some((error) => error.code === 11000)) monitor.refused += 1;
  });
  return monitor;
}
