import { runRoute } from "@/lib/auth/adapters";
import { readableFile } from "@/lib/chat/files";
import { notFound } from "@/lib/errors";
import { fileResponse } from "@/lib/files/http";
import { blobStorage } from "@/lib/storage";

type Context = { params: Promise<{ id: string; variant: string }> };

/** An image's `thumbnail` (≤ 640 px, in the message) or `preview` (≤ 2048 px, in the viewer): WebP, upright, without metadata. */
export async function GET(request: Request, { params }: Context) {
  return runRoute("files", async (user) => {
    const { id, variant } = await params;
    if (variant !== "thumbnail" && variant !== "preview") throw notFound("File");
    const { doc, key, size } = await readableFile({ userId: user.id, fileId: id, variant });
    return fileResponse(request, blobStorage(), { doc, key, size, variant, download: false });
  });
}
