import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { queryNumber, withPathParams } from "@/lib/http";
import { listMessages, sendMessage } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context) {
  return runRoute("messages", async (user) => {
    const search = new URL(request.url).searchParams;
    const input = {
      conversationId: (await params).id,
      before: queryNumber(search, "before"),
      after: queryNumber(search, "after"),
      around: queryNumber(search, "around"),
      limit: queryNumber(search, "limit"),
    };
    return Response.json(await listMessages({ userId: user.id, input }));
  });
}

/** Same semantics as `message:send`: a repeated clientMsgId answers the stored message. */
export async function POST(request: Request, { params }: Context) {
  return runRoute("messages", async (user) => {
    const input = withPathParams(await readJson(request), { conversationId: (await params).id });
    const { message, duplicate } = await sendMessage({ userId: user.id, input, senderName: user.name });
    // Repeats too: see socket-server/handlers/messages.ts.
    after(() => announce({ type: "message:created", message, duplicate }));
    return Response.json({ message }, { status: duplicate ? 200 : 201 });
  }, { mutating: true, limit: "messages" });
}
