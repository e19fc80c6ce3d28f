import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSessionUser } from "@/lib/auth/session";

export const metadata = { title: "Sign up · Parley" };

export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/chat");
  return (
    <>
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 dark:text-white">Create your Parley account</h1>
      <p className="mt-1 mb-6 text-sm text-slate-600 dark:text-slate-400">It takes a minute: a name people will know you by, an email and a password.</p>
      <SignUpForm />
    </>
  );
}
