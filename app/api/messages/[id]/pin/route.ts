import { after } from "next/server";
import { runRoute } from "@/lib/auth/adapters";
import { pinMessage } from "@/lib/chat";
import { announceMessageChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

function setPinned(pinned: boolean, { params }: Context): Promise<Response> {
  return runRoute("pin", async (user) => {
    const result = await pinMessage({ userId: user.id, input: { messageId: (await params).id, pinned } });
    after(() => announceMessageChange(result));
    return Response.json({ message: result.message });
  }, { mutating: true });
}

/** Pins a message (any member). */
export async function PUT(_request: Request, context: Context) {
  return setPinned(true, context);
}

/** Unpins it (any member). */
export async function DELETE(_request: Request, context: Context) {
  return setPinned(false, context);
}
