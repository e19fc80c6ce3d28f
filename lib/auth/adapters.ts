import { toAppError, errorResponse, AppError } from "../errors";
import type { Ack } from "../realtime/events";
import { enforce, type PolicyName } from "../security/rate-limit";
import { sharedRateLimitStore } from "../security/rate-limit/shared";
import type { TokenScope } from "../schemas/token";
import { requireScope } from "./access-token";
import { getSessionUser, requireRequestUser, type RequestUser } from "./session";

/**
 * Names the per-user rate-limit policy a request spends, counted with the socket server's (see
 * withAck): "requests" unless a call names another (sends spend "messages").
 */
type LimitOption = { limit?: PolicyName };

async function spend(limit: PolicyName, userId: string): Promise<void> {
  await enforce(sharedRateLimitStore(), limit, userId);
}

/**
 * Server actions return state instead of throwing for expected failures: the same
 * `{ ok, data } | { ok: false, error }` shape as a socket ack, so the browser handles both alike.
 */
export async function runAction<T>(
  name: string,
  fn: (user: { id: string; name: string }) => Promise<T>,
  { limit = "requests" }: LimitOption = {},
): Promise<Ack<T>> {
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended, sign in again");
    await spend(limit, user.id);
    return { ok: true, data: await fn(user) };
  } catch (error) {
    return { ok: false, error: toAppError(error, `action ${name}`).toBody() };
  }
}

/**
 * Route handlers: authenticate (session or bearer token), check the token's scope, run, render
 * AppErrors with their status. A `mutating` route needs the "write" scope unless it names
 * another (marking delivered is part of reading).
 */
export async function runRoute(
  name: string,
  fn: (user: RequestUser) => Promise<Response>,
  { mutating = false, limit = "requests", scope = mutating ? "write" : "read" }: { mutating?: boolean; scope?: TokenScope } & LimitOption = {},
): Promise<Response> {
  try {
    const user = await requireRequestUser({ mutating });
    requireScope(user, scope);
    await spend(limit, user.id);
    return await fn(user);
  } catch (error) {
    return errorResponse(error, `route ${name}`);
  }
}

/** Reads a JSON body, turning malformed JSON into a VALIDATION error instead of a 500. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("VALIDATION", "Request body must be valid JSON");
  }
}
