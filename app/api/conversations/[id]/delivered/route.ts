import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { markDelivered } from "@/lib/chat";
import { announce } from "@/lib/realtime/announce";

type Context = { params: Promise<{ id: string }> };

/** Same semantics as `conversation:delivered`: this client holds everything up to `seq`. */
export async function POST(request: Request, { params }: Context) {
  return runRoute("delivered", async (user) => {
    const body = await readJson(request);
    const input = typeof body === "object" && body !== null ? { ...body, conversationId: (await params).id } : body;
    const result = await markDelivered({ userId: user.id, input });
    if (result.changed) {
      after(() => announce({ type: "receipt", conversationId: result.conversationId, userId: result.userId, deliveredSeq: result.deliveredSeq, readSeq: result.readSeq }));
    }
    return Response.json({ lastDeliveredSeq: result.deliveredSeq });
  }, { mutating: true });
}
