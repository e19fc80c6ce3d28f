import { runRoute } from "@/lib/auth/adapters";
import { removePushDevice } from "@/lib/chat";

type Context = { params: Promise<{ id: string }> };

/** Stops push to one of the caller's devices; another person's, or none, is NOT_FOUND. */
export async function DELETE(_request: Request, { params }: Context) {
  return runRoute("push unsubscribe", async (user) => {
    await removePushDevice({ userId: user.id, input: { id: (await params).id } });
    return new Response(null, { status: 204 });
  }, { mutating: true });
}
