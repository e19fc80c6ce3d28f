import { Readable } from "node:stream";
import { runRoute } from "@/lib/auth/adapters";
import { profilePictureOf } from "@/lib/chat/avatars";
import { notFound } from "@/lib/errors";
import { SANDBOXED } from "@/lib/files/http";
import { blobStorage } from "@/lib/storage";

type Context = { params: Promise<{ id: string }> };

/**
 * Someone's profile picture (WebP, 256 px square), for anyone signed in. `?v=` names the version a
 * client was told of: when it is the current one the answer may be cached for good (a new picture
 * is a new version, so a new URL).
 */
export async function GET(request: Request, { params }: Context) {
  return runRoute("avatar", async () => {
    const { key, version } = await profilePictureOf({ ownerId: (await params).id });
    const stream = await blobStorage().open(key);
    if (!stream) throw notFound("Picture");
    const current = new URL(request.url).searchParams.get("v") === version;
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": "image/webp",
        "Cache-Control": current ? "private, max-age=31536000, immutable" : "private, no-cache",
        ETag: `"${version}"`,
        ...SANDBOXED,
      },
    });
  });
}
