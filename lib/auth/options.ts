import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { endAllSessions } from "../chat/users";
import { announce } from "../fanout/announce";
import { getServerEnv } from "../env";
import { AppError, toAppError } from "../errors";
import { authenticateWithLimits } from "./attempt-limits";

const THIRTY_DAYS = 30 * 24 * 60 * 60;
/** Which of the two is wrong is never said. */
export const WRONG_CREDENTIALS = "Wrong email or password";

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
        // next-auth passes the request's headers (all it has of the request) for the client IP.
        // A refusal is thrown as the one error body, JSON-encoded: next-auth puts a thrown
        // message in the `error` of its answer, which signIn() hands to the form as it is.
        async authorize(credentials, request) {
          let user: Awaited<ReturnType<typeof authenticateWithLimits>>;
          try {
            user = await authenticateWithLimits(credentials, request.headers ?? {});
          } catch (error) {
            throw new Error(JSON.stringify(toAppError(error, "sign-in").toBody()));
          }
          if (!user) throw new Error(JSON.stringify(new AppError("UNAUTHORIZED", WRONG_CREDENTIALS).toBody()));
          return { id: user.id, name: user.name, email: user.email, sessionEpoch: user.sessionEpoch };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.name = user.name;
          token.sessionEpoch = user.sessionEpoch ?? 0;
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) {
          session.user.id = token.sub;
          session.user.sessionEpoch = token.sessionEpoch ?? 0;
        }
        return session;
      },
    },
    events: {
      // Signing out ends every session of the account (all browsers, all sockets), not just this cookie.
      async signOut({ token }) {
        const userId = token?.sub;
        if (!userId) return;
        try {
          await endAllSessions({ userId });
        } catch (error) {
          console.error("[auth] could not end the sessions at sign-out:", (error as Error).message);
          return;
        }
        await announce({ type: "user:signed-out", userId });
      },
    },
  };
  return options;
}
