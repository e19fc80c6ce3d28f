import { readJson } from "@/lib/auth/adapters";
import { enforceSignUpLimit } from "@/lib/auth/attempt-limits";
import { assertSameSite } from "@/lib/auth/csrf";
import { registerUser } from "@/lib/chat";
import { errorResponse } from "@/lib/errors";

export async function POST(request: Request) {
  try {
    assertSameSite(request.headers);
    await enforceSignUpLimit(request.headers);
    const user = await registerUser({ input: await readJson(request) });
    return Response.json({ user: { id: user.id, name: user.name } }, { status: 201 });
  } catch (error) {
    return errorResponse(error, "route register");
  }
}
