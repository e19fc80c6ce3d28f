import { runRoute } from "@/lib/auth/adapters";
import { setAdminRole } from "@/lib/chat";

type Context = { params: Promise<{ userId: string }> };

/** A server admin makes someone an admin. */
export async function PUT(_request: Request, { params }: Context) {
  return runRoute("admins", async (user) => Response.json(await setAdminRole({ userId: user.id, input: { userId: (await params).userId, admin: true } })), { mutating: true });
}

/** A server admin takes the role back (never from the last admin). */
export async function DELETE(_request: Request, { params }: Context) {
  return runRoute("admins", async (user) => Response.json(await setAdminRole({ userId: user.id, input: { userId: (await params).userId, admin: false } })), { mutating: true });
}
