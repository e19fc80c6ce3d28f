import { runRoute } from "@/lib/auth/adapters";
import { removeMember } from "@/lib/chat";
import { announceGroupChange } from "@/lib/realtime/announce";

type Context = { params: Promise<{ id: string; userId: string }> };

/** Removes a member (the group's owner only), or leaves the group when the member is oneself. */
export async function DELETE(_request: Request, { params }: Context) {
  return runRoute("members", async (user) => {
    const { id, userId } = await params;
    const change = await removeMember({ userId: user.id, input: { conversationId: id, userId } });
    await announceGroupChange(change);
    return new Response(null, { status: 204 });
  }, { mutating: true });
}
