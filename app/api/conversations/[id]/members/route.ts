import { readJson, runRoute } from "@/lib/auth/adapters";
import { addMember } from "@/lib/chat";
import { withPathParams } from "@/lib/http";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Adds a member to a group: { userId }. Any member may; adding someone already in it changes nothing (200). */
export async function POST(request: Request, { params }: Context) {
  return runRoute("members", async (user) => {
    const input = withPathParams(await readJson(request), { conversationId: (await params).id });
    const change = await addMember({ userId: user.id, input });
    await announceGroupChange(change);
    return Response.json({ conversation: change.conversation }, { status: change.changed ? 201 : 200 });
  }, { mutating: true });
}
