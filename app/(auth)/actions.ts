"use server";

import { headers } from "next/headers";
import { enforceSignUpLimit } from "@/lib/auth/attempt-limits";
import { registerUser } from "@/lib/chat";
import { toAppError } from "@/lib/errors";

const FIELDS = ["name", "email", "password"] as const;
export type RegisterField = (typeof FIELDS)[number];

/**
 * What the sign-up form shows after a try: a message beside each wrong field, or one about the
 * whole form (too many sign-ups, the service is down). `name` and `email` are what was sent.
 */
export type RegisterState = {
  ok: boolean;
  formError: string | null;
  fieldErrors: Partial<Record<RegisterField, string>>;
  email: string;
  name: string;
};

/** Creates the account; the form then signs in through next-auth with the same credentials. */
export async function registerAction(_previous: RegisterState, formData: FormData): Promise<RegisterState> {
  const input = {
    name: String(formData.get("name") ?? ""),
    email: String(formData.get("email") ?? ""),
    password: String(formData.get("password") ?? ""),
  };
  const sent = { email: input.email, name: input.name };
  try {
    await enforceSignUpLimit(await headers());
    await registerUser({ input });
    return { ok: true, formError: null, fieldErrors: {}, ...sent };
  } catch (error) {
    const appError = toAppError(error, "action register");
    const fieldErrors: RegisterState["fieldErrors"] = {};
    for (const field of FIELDS) {
      const message = appError.fieldErrors[field];
      if (message !== undefined) fieldErrors[field] = message;
    }
    // An error about none of the fields (a limit, an outage) is said once, for the whole form.
    const formError = Object.keys(fieldErrors).length > 0 ? null : appError.plainMessage;
    return { ok: false, formError, fieldErrors, ...sent };
  }
}
