import { runRoute } from "@/lib/auth/adapters";
import { pushConfig } from "@/lib/push/config";
import type { PushKeyDto } from "@/lib/schemas/push";

/** The server's VAPID public key, which a browser subscribes with: { enabled: true, publicKey }, or { enabled: false } when push is off here. */
export async function GET() {
  return runRoute("push key", async () => {
    const config = pushConfig();
    const body: PushKeyDto = config ? { enabled: true, publicKey: config.publicKey } : { enabled: false };
    return Response.json(body);
  });
}
