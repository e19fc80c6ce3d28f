import { runRoute } from "@/lib/auth/adapters";
import { uploadFile } from "@/lib/chat/uploads";
import { declaredLength } from "@/lib/http";

/**
 * Uploads one file: the raw bytes as the body, its name in `?name=`. Streamed to storage as it
 * arrives (never whole in memory); answers `{ file }` with the type the server found in it.
 * A message then carries it by id (`attachments`). DESIGN.md "Attachments".
 */
export async function POST(request: Request) {
  const response = await runRoute(
    "uploads",
    async (user) => {
      const file = await uploadFile({
        userId: user.id,
        name: new URL(request.url).searchParams.get("name"),
        body: request.body,
        declaredLength: declaredLength(request),
      });
      return Response.json({ file }, { status: 201 });
    },
    { mutating: true, limit: "uploads" },
  );
  // Refused before the body was read (too large, signed out, too many): close the connection
  // rather than have the server read the rest of a body nobody will use.
  if (!response.ok) response.headers.set("Connection", "close");
  return response;
}
