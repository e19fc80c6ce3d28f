import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSessionUser } from "@/lib/auth/session";

export const metadata = { title: "Sign up · Parley" };

export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/chat");
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold">Create your Parley account</h1>
      <SignUpForm />
    </>
  );
}
