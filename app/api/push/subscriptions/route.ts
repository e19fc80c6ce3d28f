import { readJson, runRoute } from "@/lib/auth/adapters";
import { listPushDevices, subscribePush } from "@/lib/chat";

/** The caller's devices that receive push: { devices: [{ id, device, endpoint, createdAt, lastPushAt }] }, newest first. */
export async function GET() {
  return runRoute("push subscriptions", async (user) => Response.json({ devices: await listPushDevices({ userId: user.id }) }));
}

/**
 * Subscribes this browser (the body is PushSubscription.toJSON(): { endpoint, keys: { p256dh, auth } }),
 * or refreshes it: idempotent by endpoint. Answers { device }.
 */
export async function POST(request: Request) {
  return runRoute("push subscribe", async (user) => {
    const device = await subscribePush({ userId: user.id, input: await readJson(request), userAgent: request.headers.get("user-agent") });
    return Response.json({ device }, { status: 201 });
  }, { mutating: true });
}
