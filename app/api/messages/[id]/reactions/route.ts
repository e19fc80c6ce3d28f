import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { withPathParams } from "@/lib/http";
import { reactToMessage } from "@/lib/chat";
import { announceMessageChange } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Toggles one's own reaction: { emoji, add? } (`add` says which way, so a retry cannot toggle twice). */
export async function POST(request: Request, { params }: Context) {
  return runRoute("reactions", async (user) => {
    const input = withPathParams(await readJson(request), { messageId: (await params).id });
    const result = await reactToMessage({ userId: user.id, input });
    after(() => announceMessageChange(result));
    return Response.json({ message: result.message });
  }, { mutating: true });
}
