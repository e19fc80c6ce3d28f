import { runRoute } from "@/lib/auth/adapters";
import { searchUsers } from "@/lib/chat";

export async function GET(request: Request) {
  return runRoute("users", async (user) => {
    const q = new URL(request.url).searchParams.get("q") ?? "";
    return Response.json({ users: await searchUsers({ userId: user.id, input: { q } }) });
  });
}
