import { runRoute } from "@/lib/auth/adapters";
import { queryNumber } from "@/lib/http";
import { syncMessages } from "@/lib/chat";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context) {
  return runRoute("sync", async (user) => {
    const since = queryNumber(new URL(request.url).searchParams, "since") ?? 0;
    return Response.json(await syncMessages({ userId: user.id, input: { conversationId: (await params).id, sinceVersion: since } }));
  });
}
