"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useActionState, useRef } from "react";
import type { ErrorBody } from "@/lib/errors";
import { Field, FormError, primaryButton, textLink } from "./field";
import { clearField, useAuthForm } from "./use-auth-form";

type State = { formError: string | null; fieldErrors: { email?: string; password?: string } };

// authorize() refuses with the one error body, JSON-encoded in next-auth's `error` (lib/auth/options.ts).

function signInError(error: string): { message: string; wrongCredentials: boolean } {
  const body = parseErrorBody(error);
  if (!body || body.code === "UNAUTHORIZED") return { message: body?.message ?? "Wrong email or password", wrongCredentials: true };
  return { message: /[.!?]$/.test(body.message) ? body.message : `${body.message}.`, wrongCredentials: false };
}

function parseErrorBody(text: string): ErrorBody | null {
  try {
    const body = JSON.parse(text) as Partial<ErrorBody> | null;
    return typeof body?.code === "string" && typeof body.message === "string" ? (body as ErrorBody) : null;
  } catch {
    return null;
  }
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState<State, FormData>(
    async (_previous, formData) => {
      const email = String(formData.get("email") ?? "").trim();
      const password = String(formData.get("password") ?? "");
      // Only what needs no server: an empty field. Which of the two is wrong is never said.
      const fieldErrors: State["fieldErrors"] = {};
      if (email === "") fieldErrors.email = "Enter your email";
      if (password.length === 0) fieldErrors.password = "Enter your password";
      if (fieldErrors.email || fieldErrors.password) return { formError: null, fieldErrors };

      const result = await signIn("credentials", { email, password, redirect: false });
      if (!result || result.error) {
        const { message, wrongCredentials } = signInError(result?.error ?? "");
        // The email stays for another try; the password that failed goes, ready to be typed again.
        if (wrongCredentials) clearField(formRef.current, "password");
        return { formError: message, fieldErrors: {} };
      }
      // A full page load, not a client-side navigation: the chat page's Permissions-Policy (camera and
      // microphone for calls) applies only to a document loaded from it.
      window.location.assign(callbackUrl);
      return { formError: null, fieldErrors: {} };
    },
    { formError: null, fieldErrors: {} },
  );
  const { onSubmit, onInput, errorOf } = useAuthForm(formRef, state, formAction);

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} onInput={onInput} className="flex flex-col gap-5" noValidate>
      <FormError message={state.formError} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={errorOf("email")} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={errorOf("password")} />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        New here?{" "}
        <Link href="/sign-up" className={textLink}>
          Create an account
        </Link>
      </p>
    </form>
  );
}
