import { after } from "next/server";
import { runRoute } from "@/lib/auth/adapters";
import { revokeAccessToken } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";

type Context = { params: Promise<{ id: string }> };

/** Revokes one of the caller's tokens: it stops working at once, and every socket opened with it closes. */
export async function DELETE(_request: Request, { params }: Context) {
  return runRoute("tokens", async (user) => {
    const { id } = await revokeAccessToken({ userId: user.id, input: { id: (await params).id } });
    after(() => announce({ type: "token:revoked", userId: user.id, tokenId: id }, { attempts: 3 }));
    return Response.json({ id });
  }, { mutating: true });
}
