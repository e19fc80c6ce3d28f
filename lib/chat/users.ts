import { ObjectId } from "mongodb";
import { hashPassword, verifyPassword } from "../auth/password";
import { anyUserExists, claimFirstAdmin, releaseFirstAdmin } from "../db/admins";
import { findUsers, getConnectionStates, getSessionEpoch, getUserByEmail, insertUser, raiseSessionEpoch } from "../db/users";
import { isDuplicateKeyError } from "../db/messages";
import { AppError } from "../errors";
import type { UserDto } from "../schemas/dto";
import { maskEmail } from "./dto";
import { emailSchema, registerSchema, signInSchema, userSearchSchema } from "../schemas/user";
import { oid, parseInput, type Actor } from "./ids";

/**
 * Creates an account. The very first one becomes a server admin: while no account exists, each
 * sign-up tries the unique insert that names the first admin, and only one of any number of
 * concurrent first sign-ups can make it (lib/db/admins.ts).
 */
export async function registerUser({ input }: { input: unknown }): Promise<UserDto> {
  const { name, email, password } = parseInput(registerSchema, input);
  const passwordHash = await hashPassword(password);
  const _id = new ObjectId();
  const first = !(await anyUserExists()) && (await claimFirstAdmin({ userId: _id }));
  try {
    const user = await insertUser({ _id, name, email, passwordHash, createdAt: new Date(), lastSeenAt: null, ...(first ? { role: "admin" as const } : {}) });
    return { id: user._id.toHexString(), name: user.name, email: user.email };
  } catch (error) {
    if (first) await releaseFirstAdmin({ userId: _id });
    if (isDuplicateKeyError(error)) {
      const message = "An account with this email already exists";
      throw new AppError("CONFLICT", message, { fieldErrors: { email: message } });
    }
    throw error;
  }
}

/** Checks credentials; null for any mismatch so callers cannot tell a missing account from a wrong password. */
export async function authenticate({ input }: { input: unknown }): Promise<(UserDto & { sessionEpoch: number }) | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await getUserByEmail({ email: parsed.data.email });
  // Verify against a real hash even when the user is missing, so timing does not reveal accounts.
  const ok = await verifyPassword(user?.passwordHash ?? null, parsed.data.password);
  if (!user || !ok) return null;
  return { id: user._id.toHexString(), name: user.name, email: user.email, sessionEpoch: user.sessionEpoch ?? 0 };
}

/** True when the account still exists: a validly signed token may outlive its user. */
/**
 * Sessions end together: a sign-out raises the user's epoch, and every session cookie and
 * realtime token carries the epoch it was issued under, so all of them stop working at once.
 * Null when the account does not exist.
 */
export async function currentSessionEpoch({ userId }: Actor): Promise<number | null> {
  return getSessionEpoch({ id: oid(userId) });
}

export type ConnectionState = { sessionEpoch: number; readReceipts: boolean };

/**
 * Each user's session epoch and read-receipts setting (a socket's handshake needs both), for many
 * users in one read: null for a user who is gone.
 */
export async function connectionStates({ userIds }: { userIds: string[] }): Promise<(ConnectionState | null)[]> {
  const found = await getConnectionStates({ ids: userIds.map(oid) });
  return userIds.map((userId) => found.get(userId) ?? null);
}

export async function endAllSessions({ userId }: Actor): Promise<void> {
  await raiseSessionEpoch({ id: oid(userId) });
}

const SEARCH_LIMIT = 20;

export async function searchUsers({ userId, input }: Actor & { input: unknown }): Promise<UserDto[]> {
  const query = parseInput(userSearchSchema, input).q;
  const email = emailSchema.safeParse(query);
  const exactEmail = email.success ? email.data : null;
  const found = await findUsers({
    namePattern: escapeRegex(query),
    email: exactEmail,
    excludeId: oid(userId),
    limit: SEARCH_LIMIT,
  });
  // Someone's email is shown only to a searcher who already typed it in full; everyone else sees
  // a masked one, enough to tell two people of the same name apart.
  return found.map((user) => {
    const picture = user.avatar ? { avatar: user.avatar } : {};
    return exactEmail !== null && user.email === exactEmail
      ? { id: user._id.toHexString(), name: user.name, email: user.email, ...picture }
      : { id: user._id.toHexString(), name: user.name, emailHint: maskEmail(user.email), ...picture };
  });
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
