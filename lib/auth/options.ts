import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authenticate } from "../chat/users";
import { getServerEnv } from "../env";

const THIRTY_DAYS = 30 * 24 * 60 * 60;

let options: NextAuthOptions | undefined;

/** Built on first use, so importing this module never needs the runtime environment (e.g. at build time). */
export function getAuthOptions(): NextAuthOptions {
  options ??= {
    secret: getServerEnv().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: THIRTY_DAYS },
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          const user = await authenticate({ input: credentials });
          return user ? { id: user.id, name: user.name, email: user.email } : null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return options;
}
