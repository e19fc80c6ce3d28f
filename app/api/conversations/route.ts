import { readJson, runRoute } from "@/lib/auth/adapters";
import { createConversation, listConversations } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

export async function GET() {
  return runRoute("conversations", async (user) => Response.json({ conversations: await listConversations({ userId: user.id }) }));
}

export async function POST(request: Request) {
  return runRoute("conversations", async (user) => {
    const result = await createConversation({ userId: user.id, input: await readJson(request) });
    // Awaited, unlike message announcements: members' sockets must be in the new room before
    // the creator can send into it, or the first message would reach them only through sync.
    if (result.created) await announce({ type: "conversation:created", conversation: result.conversation, memberIds: result.memberIds });
    return Response.json({ conversation: result.conversation }, { status: result.created ? 201 : 200 });
  }, { mutating: true });
}
