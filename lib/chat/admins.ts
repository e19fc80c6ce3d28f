// Server admins: a role on the user. The first account to sign up is one (lib/db/admins.ts decides
// it atomically); admins grant and take back the role, and the last admin cannot lose it.
import { getAdmins, getRole, grantAdmin, revokeAdmin } from "../db/admins";
import { getUsersByIds } from "../db/users";
import { AppError, notFound } from "../errors";
import { adminRoleSchema } from "../schemas/room";
import type { UserDto } from "../schemas/dto";
import { oid, parseInput, type Actor } from "./ids";

export type RoleView = { role: "admin" | null; admins: UserDto[] };

/** The user's own role; admins also see who the admins are. */
export async function getOwnRole({ userId }: Actor): Promise<RoleView> {
  const role = await getRole({ id: oid(userId) });
  if (role !== "admin") return { role: null, admins: [] };
  return { role, admins: (await getAdmins()).map((user) => ({ id: user._id.toHexString(), name: user.name })) };
}

/** A server admin grants or takes back another user's role; an admin may step down while another remains. */
export async function setAdminRole({ userId, input }: Actor & { input: unknown }): Promise<RoleView> {
  const data = parseInput(adminRoleSchema, input);
  if ((await getRole({ id: oid(userId) })) !== "admin") throw new AppError("FORBIDDEN", "Only server admins can change who is an admin");
  const [person] = await getUsersByIds({ ids: [oid(data.userId)] });
  if (!person) throw notFound("User");
  if (data.admin) await grantAdmin({ id: person._id });
  else if ((await revokeAdmin({ id: person._id })) === "last") throw new AppError("FORBIDDEN", "The last server admin cannot stop being one: make someone else an admin first");
  return getOwnRole({ userId });
}
