// A second process writing to the same conversation: the socket server next to the web app, as
// far as the messages collection can tell. Appends `count` messages at once through
// appendMessage (this process's own queues, batches and remembered positions), once told to go
// (a line on stdin), one every `everyMs`, and prints, as one JSON line, each ack in the order
// the sends were made and how many of its inserts a unique index refused.
//   APPEND_JOB='{"conversationId":"…","senderId":"…","prefix":"b","count":40}' node --import tsx test/support/append-process.ts
import { randomUUID } from "node:crypto";
import { ObjectId } from "mongodb";
import { appendMessage } from "../../lib/chat/append";
import { closeDb } from "../../lib/db/client";
import { indexingSettled } from "../../lib/search/indexer";
import { monitorMessageInserts } from "./insert-monitor";

const job = JSON.parse(process.env.APPEND_JOB ?? "{}") as { conversationId: string; senderId: string; prefix: string; count: number; everyMs?: number };
const conversationId = new ObjectId(job.conversationId);
const senderId = new ObjectId(job.senderId);

// Connected first; then "ready" on stdout, and the sends start at the "go" line on stdin.
const monitor = await monitorMessageInserts();
console.log("ready");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
process.stdin.pause();
const sends: Promise<{ id: string; seq: number; version: number; text: string }>[] = [];
for (let i = 0; i < job.count; i += 1) {
  if (i > 0 && job.everyMs) await new Promise((resolve) => setTimeout(resolve, job.everyMs));
  sends.push(
    appendMessage({
      message: {
        conversationId, senderId, senderName: job.prefix, clientMsgId: randomUUID(), kind: "text", text: `${job.prefix} ${i}`,
        replyTo: null, mentions: [], reactions: [], hiddenFor: [], editedAt: null, deletedAt: null,
      },
      onConflict: async () => null,
    }).then(({ message }) => ({ id: message.id, seq: message.seq, version: message.version, text: message.text })),
  );
}
const acks = await Promise.all(sends);
// The search index follows each batch in the background: let it finish before the connection goes.
await indexingSettled();
await closeDb();
console.log(JSON.stringify({ acks, refused: monitor.refused }));
