import { pingDb } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await pingDb();
  return Response.json(
    { status: database ? "ok" : "degraded", database: database ? "up" : "down" },
    { status: database ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
