import { toAppError, errorResponse, AppError } from "../errors";
import type { Ack } from "../realtime/events";
import { getSessionUser, requireRequestUser } from "./session";

/**
 * Server actions return state instead of throwing for expected failures: the same
 * `{ ok, data } | { ok: false, error }` shape as a socket ack, so the browser handles both alike.
 */
export async function runAction<T>(name: string, fn: (user: { id: string; name: string }) => Promise<T>): Promise<Ack<T>> {
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Your session has ended, sign in again");
    return { ok: true, data: await fn(user) };
  } catch (error) {
    return { ok: false, error: toAppError(error, `action ${name}`).toBody() };
  }
}

/** Route handlers: authenticate (session or bearer token), run, render AppErrors with their status. */
export async function runRoute(
  name: string,
  fn: (user: { id: string; name: string }) => Promise<Response>,
  { mutating = false }: { mutating?: boolean } = {},
): Promise<Response> {
  try {
    const user = await requireRequestUser({ mutating });
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
