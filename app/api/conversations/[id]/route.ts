import { readJson, runRoute } from "@/lib/auth/adapters";
import { withPathParams } from "@/lib/http";
import { renameConversation } from "@/lib/chat";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Renames a group: { name }. Any member may; direct conversations have no name. */
export async function PATCH(request: Request, { params }: Context) {
  return runRoute("conversation", async (user) => {
    const input = withPathParams(await readJson(request), { conversationId: (await params).id });
    const change = await renameConversation({ userId: user.id, input });
    await announceGroupChange(change);
    return Response.json({ conversation: change.conversation });
  }, { mutating: true });
}
