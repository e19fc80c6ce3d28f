import { headers } from "next/headers";
import { readJson, runRoute } from "@/lib/auth/adapters";
import { authenticateWithLimits } from "@/lib/auth/attempt-limits";
import { assertSameSite } from "@/lib/auth/csrf";
import { WRONG_CREDENTIALS } from "@/lib/auth/options";
import { bearerCredential, getSessionUser } from "@/lib/auth/session";
import { createAccessToken, listAccessTokens } from "@/lib/chat";
import { parseInput } from "@/lib/chat/ids";
import { AppError, errorResponse } from "@/lib/errors";
import { enforce } from "@/lib/security/rate-limit";
import { sharedRateLimitStore } from "@/lib/security/rate-limit/shared";
import { tokenCredentialsSchema } from "@/lib/schemas/token";

/** The caller's personal access tokens, newest first (never their secrets). */
export async function GET() {
  return runRoute("tokens", async (user) => Response.json({ tokens: await listAccessTokens({ userId: user.id }) }, { headers: { "cache-control": "no-store" } }));
}

/**
 * Makes a token: `{ name, scopes?, expiresInDays? }`. From a signed-in browser (Settings), or from
 * anywhere with the account's `email` and `password` in the same body (the sign-in limits apply),
 * which is how a script gets its first token without next-auth's cookie and CSRF steps. A token
 * cannot make another: a short-lived or read-only one could otherwise outlive or outgrow itself.
 */
export async function POST(request: Request) {
  try {
    const requestHeaders = await headers();
    if (bearerCredential(requestHeaders) !== null) {
      throw new AppError("FORBIDDEN", "A token cannot create tokens: sign in, or send your email and password");
    }
    const body = await readJson(request);
    const userId = await ownerOf(body, requestHeaders);
    await enforce(sharedRateLimitStore(), "requests", userId);
    const created = await createAccessToken({ userId, input: body });
    return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "route tokens");
  }
}

async function ownerOf(body: unknown, requestHeaders: Headers): Promise<string> {
  const hasCredentials = typeof body === "object" && body !== null && ("email" in body || "password" in body);
  if (hasCredentials) {
    const credentials = parseInput(tokenCredentialsSchema, { email: (body as { email?: unknown }).email, password: (body as { password?: unknown }).password });
    const user = await authenticateWithLimits(credentials, requestHeaders);
    if (!user) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
    return user.id;
  }
  assertSameSite(requestHeaders);
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first, or send your email and password");
  return user.id;
}
