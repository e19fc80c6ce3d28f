// The real client engine (lib/client/engine.ts) in Node: the browser's outbox, retry, sync and
// receipt logic, talking to the real socket server and to the route handlers over HTTP.
import { MongoClient } from "mongodb";
import { ChatEngine, type EngineOptions } from "../../lib/client/engine";
import { createHttpApi } from "../../lib/client/http-api";
import { MemoryOutboxStore, type OutboxStore } from "../../lib/client/outbox";
import type { MessageDto } from "../../lib/schemas/dto";
import type { Stack } from "./stack";
import type { TestUser } from "./users";

export function createEngine(
  stack: Stack,
  user: TestUser,
  options: Partial<Omit<EngineOptions, "me" | "realtime">> & { ackTimeoutMs?: number; outboxStore?: OutboxStore } = {},
): ChatEngine {
  const { ackTimeoutMs, ...rest } = options;
  return new ChatEngine({
    me: user.id,
    api: createHttpApi({ baseUrl: stack.webUrl, headers: () => ({ cookie: user.cookie }) }),
    realtime: {
      url: stack.socketUrl,
      ackTimeoutMs,
      getToken: async () => {
        const response = await user.api("/api/realtime/token");
        if (!response.ok) throw new Error(`token ${response.status}`);
        return ((await response.json()) as { token: string }).token;
      },
    },
    outboxStore: options.outboxStore ?? new MemoryOutboxStore(),
    ...rest,
  });
}

export type StoredMessage = { id: string; conversationId: string; seq: number; version: number; senderId: string; clientMsgId: string; text: string };

/** The database's truth, read directly: what every client's view must equal in the end. */
export async function readStoredMessages(stack: Stack, conversationIds: string[]): Promise<Map<string, StoredMessage[]>> {
  const client = new MongoClient(stack.mongoUri, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    const { ObjectId } = await import("mongodb");
    const rows = await client
      .db(stack.env.MONGODB_DB)
      .collection("messages")
      .find({ conversationId: { $in: conversationIds.map((id) => new ObjectId(id)) } })
      .toArray();
    const byConversation = new Map<string, StoredMessage[]>(conversationIds.map((id) => [id, []]));
    for (const row of rows) {
      byConversation.get(row.conversationId.toHexString())!.push({
        id: row._id.toHexString(),
        conversationId: row.conversationId.toHexString(),
        seq: row.seq as number,
        version: row.version as number,
        senderId: row.senderId.toHexString(),
        clientMsgId: row.clientMsgId as string,
        text: row.text as string,
      });
    }
    for (const list of byConversation.values()) list.sort((a, b) => a.seq - b.seq);
    return byConversation;
  } finally {
    await client.close();
  }
}

/** What a client shows for a conversation, in the same shape. */
export function viewOf(engine: ChatEngine, conversationId: string): StoredMessage[] {
  const thread = engine.getState().threads[conversationId];
  return (thread?.messages ?? []).map((m: MessageDto) => ({
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    version: m.version,
    senderId: m.senderId,
    clientMsgId: m.clientMsgId,
    text: m.text,
  }));
}
