import { runRoute } from "@/lib/auth/adapters";
import { searchMessages } from "@/lib/chat";

/** GET /api/search?q=…[&conversationId=…][&cursor=…][&timeZone=…]: a page of message search results. */
export async function GET(request: Request) {
  const search = async (user: { id: string }) => {
    const params = new URL(request.url).searchParams;
    const input: Record<string, string> = {};
    // Only the parameters it knows, each once: anything else is ignored rather than passed on.
    for (const name of ["q", "conversationId", "cursor", "timeZone"]) {
      const value = params.get(name);
      if (value !== null) input[name] = value;
    }
    return Response.json(await searchMessages({ userId: user.id, input }));
  };
  // The searches budget, as the socket's `search` and the server action spend it.
  return runRoute("search", search, { limit: "searches" });
}
