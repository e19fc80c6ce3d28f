import { after } from "next/server";
import { runRoute } from "@/lib/auth/adapters";
import { listConversationIds } from "@/lib/chat";
import { removeProfilePicture, setProfilePicture, type AvatarChange } from "@/lib/chat/avatars";
import { announce } from "@/lib/fanout/announce";
import { declaredLength } from "@/lib/http";

/** Everyone who shares a conversation with them, and their own other tabs, see the new picture. */
function announceChange(change: AvatarChange) {
  after(async () => {
    const conversationIds = await listConversationIds({ userId: change.userId });
    await announce({ type: "user:updated", user: { id: change.userId, name: change.name, avatar: change.avatar }, conversationIds });
  });
  return Response.json({ avatar: change.avatar });
}

/** A new profile picture: the image's raw bytes as the body (as POST /api/uploads). Answers `{ avatar }`, its version. */
export async function PUT(request: Request) {
  return runRoute(
    "avatar",
    async (user) => {
      return announceChange(await setProfilePicture({ userId: user.id, body: request.body, declaredLength: declaredLength(request) }));
    },
    { mutating: true, limit: "uploads" },
  );
}

/** Back to initials. */
export async function DELETE() {
  return runRoute("avatar", async (user) => announceChange(await removeProfilePicture({ userId: user.id })), { mutating: true });
}
