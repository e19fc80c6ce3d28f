import { readJson, runRoute } from "@/lib/auth/adapters";
import { previewRoom, updateRoom } from "@/lib/chat";
import { withPathParams } from "@/lib/http";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** A read-only preview of a listed room (or one's own): { room, messages }. */
export async function GET(_request: Request, { params }: Context) {
  return runRoute("room", async (user) => Response.json(await previewRoom({ userId: user.id, input: { conversationId: (await params).id } })));
}

/** Changes a room: { name?, topic?, public?, archived? }. Its owners and admins, and server admins. */
export async function PATCH(request: Request, { params }: Context) {
  return runRoute("room", async (user) => {
    const change = await updateRoom({ userId: user.id, input: withPathParams(await readJson(request), { conversationId: (await params).id }) });
    await announceGroupChange(change);
    return Response.json({ conversation: change.conversation, room: change.room ?? null });
  }, { mutating: true });
}
