import { runRoute } from "@/lib/auth/adapters";
import { getConversation, joinRoom } from "@/lib/chat";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Joins a listed room (again: nothing changes, 200). Answered once every socket of the user is in it. */
export async function POST(_request: Request, { params }: Context) {
  return runRoute("room-membership", async (user) => {
    const conversationId = (await params).id;
    const change = await joinRoom({ userId: user.id, input: { conversationId } });
    await announceGroupChange(change);
    const conversation = await getConversation({ userId: user.id, input: { conversationId: change.conversation.id } });
    return Response.json({ conversation }, { status: change.changed ? 201 : 200 });
  }, { mutating: true });
}
