import { readJson, runRoute } from "@/lib/auth/adapters";
import { createRoom, listDirectory } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

/** The room directory: ?q=<words of a name>&sort=activity|size; each room with a `joined` badge. */
export async function GET(request: Request) {
  return runRoute("rooms", async (user) => {
    const search = new URL(request.url).searchParams;
    const input = { q: search.get("q") ?? undefined, sort: search.get("sort") ?? undefined };
    return Response.json({ rooms: await listDirectory({ userId: user.id, input }) });
  });
}

/** Creates a room: { name, topic?, public? }. ROOM_CREATION=admins keeps this to server admins. */
export async function POST(request: Request) {
  return runRoute("rooms", async (user) => {
    const created = await createRoom({ userId: user.id, input: await readJson(request) });
    // Awaited: the creator's sockets are in the room before they can send into it.
    await announce({ type: "room:created", ...created }, { attempts: 3 });
    return Response.json({ conversation: created.conversation, room: created.room }, { status: 201 });
  }, { mutating: true });
}
