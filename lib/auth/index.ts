import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Role } from "@/db/schema";
import { clientAddressFrom } from "./client-address";
import { checkCredentials, signInSchema } from "./credentials";
import { getAuthSecret } from "./secret";

declare module "next-auth" {
  interface User {
    orgId?: string;
    role?: Role;
    sessionVersion?: number;
  }
  interface Session {
    user: {
      id: string;
      orgId: string;
      role: Role;
      name: string;
      email: string;
      /** The user's session version at sign-in; getActor refuses it once the database's moves on. */
      sessionVersion?: number;
    };
  }
}

/** Too many failures for this account or address: said without revealing whether it exists. */
export class SignInThrottled extends CredentialsSignin {
  code = "throttled";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getAuthSecret(),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        // The address the start-up hook decided from the socket and the trusted proxies.
        const result = await checkCredentials(parsed.data, clientAddressFrom(request?.headers));
        if (!result.ok) {
          if (result.reason === "throttled") throw new SignInThrottled(result.retryAfterSeconds);
          return null;
        }
        return result.user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.orgId = user.orgId;
        token.role = user.role;
        token.sessionVersion = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub ?? "";
      session.user.orgId = (token.orgId as string | undefined) ?? "";
      session.user.role = token.role as Role;
      // Only ever set at sign-in (never from an update() call), so a session cannot renew itself.
      session.user.sessionVersion =
        typeof token.sessionVersion === "number" ? token.sessionVersion : undefined;
      return session;
    },
  },
}));
