"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useActionState } from "react";
import { Field, FormError, primaryButton } from "./field";

type State = { error: string | null; email: string };

// authorize() refuses a rate-limited attempt with "RATE_LIMITED:<reason and wait>" (lib/auth/attempt-limits.ts).
const LIMITED_PREFIX = "RATE_LIMITED:";

function signInError(error: string): string {
  if (!error.startsWith(LIMITED_PREFIX)) return "Wrong email or password";
  return `${error.slice(LIMITED_PREFIX.length)}.`;
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, formAction, pending] = useActionState<State, FormData>(
    async (_previous, formData) => {
      const email = String(formData.get("email") ?? "");
      const result = await signIn("credentials", {
        email,
        password: String(formData.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) return { error: signInError(result?.error ?? ""), email };
      router.replace(callbackUrl);
      router.refresh();
      return { error: null, email };
    },
    { error: null, email: "" },
  );

  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormError message={state.error} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <button type="submit" className={primaryButton} disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      <p className="text-sm text-slate-600">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-indigo-700 underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
