import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { markRead } from "@/lib/chat";
import { announce } from "@/lib/realtime/announce";

type Context = { params: Promise<{ id: string }> };

/** Same semantics as `conversation:read`: raises the caller's read (and delivered) watermark. */
export async function POST(request: Request, { params }: Context) {
  return runRoute("read", async (user) => {
    const body = await readJson(request);
    const input = typeof body === "object" && body !== null ? { ...body, conversationId: (await params).id } : body;
    const result = await markRead({ userId: user.id, input });
    if (result.changed) {
      after(() => announce({ type: "receipt", conversationId: result.conversationId, userId: result.userId, deliveredSeq: result.deliveredSeq, readSeq: result.readSeq }));
    }
    return Response.json({ lastReadSeq: result.readSeq });
  }, { mutating: true });
}
