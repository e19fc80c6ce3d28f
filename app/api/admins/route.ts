import { runRoute } from "@/lib/auth/adapters";
import { getOwnRole } from "@/lib/chat";

/** The caller's server role; an admin also gets the list of admins. */
export async function GET() {
  return runRoute("admins", async (user) => Response.json(await getOwnRole({ userId: user.id })));
}
