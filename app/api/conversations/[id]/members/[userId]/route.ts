import { readJson, runRoute } from "@/lib/auth/adapters";
import { removeMember, setMemberRole } from "@/lib/chat";
import { withPathParams } from "@/lib/http";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string; userId: string }> };

/** Removes a member (the owner: anyone; an admin: plain members), or leaves the group when the member is oneself. */
export async function DELETE(_request: Request, { params }: Context) {
  return runRoute("members", async (user) => {
    const { id, userId } = await params;
    const change = await removeMember({ userId: user.id, input: { conversationId: id, userId } });
    await announceGroupChange(change);
    return new Response(null, { status: 204 });
  }, { mutating: true });
}

/** The owner makes a member an admin, or an admin a member again: { role: "admin" | "member" }. */
export async function PATCH(request: Request, { params }: Context) {
  return runRoute("members", async (user) => {
    const { id, userId } = await params;
    const change = await setMemberRole({ userId: user.id, input: withPathParams(await readJson(request), { conversationId: id, userId }) });
    await announceGroupChange(change);
    return Response.json({ conversation: change.conversation });
  }, { mutating: true });
}
