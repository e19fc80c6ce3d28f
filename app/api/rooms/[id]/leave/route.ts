import { runRoute } from "@/lib/auth/adapters";
import { leaveRoom } from "@/lib/chat";
import { announceGroupChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Leaves a room (its owner hands it over). Answered once every socket of the user is out of it. */
export async function POST(_request: Request, { params }: Context) {
  return runRoute("room-membership", async (user) => {
    await announceGroupChange(await leaveRoom({ userId: user.id, input: { conversationId: (await params).id } }));
    return new Response(null, { status: 204 });
  }, { mutating: true });
}
