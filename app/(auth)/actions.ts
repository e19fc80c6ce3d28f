"use server";

import { headers } from "next/headers";
import { enforceSignUpLimit } from "@/lib/auth/attempt-limits";
import { registerUser } from "@/lib/chat";
import { toAppError } from "@/lib/errors";

export type RegisterState = { ok: boolean; error: string | null; email: string; name: string };

/** Creates the account; the form then signs in through next-auth with the same credentials. */
export async function registerAction(_previous: RegisterState, formData: FormData): Promise<RegisterState> {
  const input = {
    name: String(formData.get("name") ?? ""),
    email: String(formData.get("email") ?? ""),
    password: String(formData.get("password") ?? ""),
  };
  try {
    await enforceSignUpLimit(await headers());
    await registerUser({ input });
    return { ok: true, error: null, email: input.email, name: input.name };
  } catch (error) {
    const appError = toAppError(error, "action register");
    return { ok: false, error: appError.plainMessage, email: input.email, name: input.name };
  }
}
