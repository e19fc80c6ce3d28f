"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { registerAction, type RegisterState } from "@/app/(auth)/actions";
import { PASSWORD_MIN } from "@/lib/schemas/user";
import { Field, FormError, primaryButton } from "./field";

export function SignUpForm() {
  const router = useRouter();
  const [state, formAction, pending] = useActionState<RegisterState, FormData>(
    async (previous, formData) => {
      const result = await registerAction(previous, formData);
      if (!result.ok) return result;
      const signedIn = await signIn("credentials", {
        email: result.email,
        password: String(formData.get("password") ?? ""),
        redirect: false,
      });
      if (!signedIn || signedIn.error) return { ...result, ok: false, error: "Account created, but signing in failed: try Sign in" };
      router.replace("/chat");
      router.refresh();
      return result;
    },
    { ok: false, error: null, email: "", name: "" },
  );

  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormError message={state.error} />
      <Field label="Name" name="name" autoComplete="name" required defaultValue={state.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        aria-describedby="password-hint"
      />
      <p id="password-hint" className="-mt-2 text-xs text-slate-500">
        At least {PASSWORD_MIN} characters.
      </p>
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Creating account…" : "Sign up"}
      </button>
      <p className="text-sm text-slate-600">
        Have an account?{" "}
        <Link href="/sign-in" className="font-medium text-indigo-700 underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
