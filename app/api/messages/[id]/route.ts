import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { withPathParams } from "@/lib/http";
import { deleteMessage, editMessage } from "@/lib/chat";
import { announceMessageChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Edits one's own message: { text }. Same rules as `message:edit`. */
export async function PATCH(request: Request, { params }: Context) {
  return runRoute("message", async (user) => {
    const input = withPathParams(await readJson(request), { messageId: (await params).id });
    const result = await editMessage({ userId: user.id, input });
    after(() => announceMessageChange(result));
    return Response.json({ message: result.message });
  }, { mutating: true });
}

/** Deletes a message: `?for=everyone` (one's own, within the window) or `?for=me` (any). */
export async function DELETE(request: Request, { params }: Context) {
  return runRoute("message", async (user) => {
    const input = { messageId: (await params).id, for: new URL(request.url).searchParams.get("for") ?? undefined };
    const result = await deleteMessage({ userId: user.id, input });
    after(() => announceMessageChange(result));
    return Response.json({ message: result.message });
  }, { mutating: true });
}
