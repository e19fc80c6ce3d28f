// Watches this process's inserts into the messages collection through the driver's command
// monitoring: how many documents each carried, and how many a unique index refused part of.
import { watchCommands } from "./command-monitor";

export type InsertMonitor = { sizes: number[]; refused: number };

export async function monitorMessageInserts(): Promise<InsertMonitor> {
  const monitor: InsertMonitor = { sizes: [], refused: 0 };
  const ours = new Set<number>();
  await watchCommands({
    started: (event) => {
      const command = event.command as { insert?: string; documents?: unknown[] };
      if (event.commandName !== "insert" || command.insert !== "messages") return;
      ours.add(event.requestId);
      monitor.sizes.push(command.documents?.length ?? 0);
    },
    succeeded: (event) => {
      if (!ours.delete(event.requestId)) return;
      const { writeErrors } = event.reply as { writeErrors?: { code: number }[] };
      if (writeErrors?.some((error) => error.code === 11000)) monitor.refused += 1;
    },
  });
  return monitor;
}
