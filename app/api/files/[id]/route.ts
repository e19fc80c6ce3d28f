import { runRoute } from "@/lib/auth/adapters";
import { readableFile } from "@/lib/chat/files";
import { fileResponse } from "@/lib/files/http";
import { blobStorage } from "@/lib/storage";

type Context = { params: Promise<{ id: string }> };

/** The file as uploaded: played inline for video and audio, a download for everything else (and with `?download=1`). */
export async function GET(request: Request, { params }: Context) {
  return runRoute("files", async (user) => {
    const { doc, key, size } = await readableFile({ userId: user.id, fileId: (await params).id, variant: "original" });
    const download = new URL(request.url).searchParams.has("download");
    return fileResponse(request, blobStorage(), { doc, key, size, variant: "original", download });
  });
}
