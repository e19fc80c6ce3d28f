import { runRoute } from "@/lib/auth/adapters";
import { syncMessages } from "@/lib/chat";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context) {
  return runRoute("sync", async (user) => {
    const since = new URL(request.url).searchParams.get("since") ?? "0";
    return Response.json(await syncMessages({ userId: user.id, input: { conversationId: (await params).id, sinceVersion: since } }));
  });
}
