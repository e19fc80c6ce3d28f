import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { markUnread } from "@/lib/chat";
import { withPathParams } from "@/lib/http";
import { announce } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** POST { unread: true } marks the conversation as unread for the caller; { unread: false } undoes it. Reading clears it too. */
export async function POST(request: Request, { params }: Context) {
  return runRoute("unread", async (user) => {
    const input = withPathParams(await readJson(request), { conversationId: (await params).id });
    const { changed, ...result } = await markUnread({ userId: user.id, input });
    if (changed) after(() => announce({ type: "conversation:marked", ...result }));
    return Response.json({ markedUnread: result.markedUnread });
  }, { mutating: true });
}
