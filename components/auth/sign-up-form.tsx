"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useActionState, useRef } from "react";
import { registerAction, type RegisterState } from "@/app/(auth)/actions";
// From limits, not the schema: importing the schema module would bring zod into this page.
import { PASSWORD_MIN, PASSWORD_RULE } from "@/lib/schemas/limits";
import { Field, FormError, primaryButton, textLink } from "./field";
import { useAuthForm } from "./use-auth-form";

export function SignUpForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState<RegisterState, FormData>(
    async (previous, formData) => {
      const result = await registerAction(previous, formData);
      if (!result.ok) return result;
      const signedIn = await signIn("credentials", {
        email: result.email,
        password: String(formData.get("password") ?? ""),
        redirect: false,
      });
      if (!signedIn || signedIn.error) return { ...result, ok: false, formError: "Account created, but signing in failed: try Sign in" };
      // A full page load, so the chat page's own Permissions-Policy (camera, microphone) applies.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- deliberate, see above
      window.location.assign("/chat");
      return result;
    },
    { ok: false, formError: null, fieldErrors: {}, email: "", name: "" },
  );
  const { onSubmit, onInput, errorOf } = useAuthForm(formRef, state, formAction);

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} onInput={onInput} className="flex flex-col gap-5" noValidate>
      <FormError message={state.formError} />
      <Field label="Name" name="name" autoComplete="name" required error={errorOf("name")} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={errorOf("email")} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`${PASSWORD_RULE}.`}
        error={errorOf("password")}
      />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Creating account…" : "Sign up"}
      </button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">
        Have an account?{" "}
        <Link href="/sign-in" className={textLink}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
