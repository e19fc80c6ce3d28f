import { after } from "next/server";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { withPathParams } from "@/lib/http";
import type { ReceiptResult } from "@/lib/chat";
import { announce } from "@/lib/fanout/announce";
import type { TokenScope } from "@/lib/schemas/token";

type Context = { params: Promise<{ id: string }> };
type Mark = (args: { userId: string; input: unknown }) => Promise<ReceiptResult>;

/** POST { seq } for one watermark (read or delivered): the same semantics as its socket event. */
export function receiptRoute(name: string, mark: Mark, answer: (result: ReceiptResult) => object, scope: TokenScope = "write") {
  return (request: Request, { params }: Context) =>
    runRoute(
      name,
      async (user) => {
        const input = withPathParams(await readJson(request), { conversationId: (await params).id });
        const { changed, ...receipt } = await mark({ userId: user.id, input });
        if (changed) after(() => announce({ type: "receipt", ...receipt }));
        return Response.json(answer({ changed, ...receipt }));
      },
      { mutating: true, scope },
    );
}
