import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { muteConversation } from "@/lib/chat";
import { withPathParams } from "@/lib/http";
import { announce } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** POST { muted: boolean }: mutes or unmutes the conversation for the caller alone. */
export async function POST(request: Request, { params }: Context) {
  return runRoute("mute", async (user) => {
    const input = withPathParams(await readJson(request), { conversationId: (await params).id });
    const { changed, ...result } = await muteConversation({ userId: user.id, input });
    if (changed) after(() => announce({ type: "conversation:muted", ...result }));
    return Response.json({ muted: result.muted });
  }, { mutating: true });
}
