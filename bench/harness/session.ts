/**
 * Signed-in requests without the sign-in form: the Auth.js session cookie minted with the
 * server's AUTH_SECRET, carrying the claims lib/auth/index.ts puts in the token (sub = user id,
 * orgId, role, sessionVersion). The guard re-reads the role and the session version from the
 * database on every request, as for a browser's cookie. Over plain http Auth.js names the cookie
 * (and salts the key with) `authjs.session-token`.
 */
import { encode } from "next-auth/jwt";
import type { BenchUser } from "./data";

export const SESSION_COOKIE = "authjs.session-token";

export async function sessionCookie(
  user: BenchUser,
  orgId: string,
  secret: string,
): Promise<string> {
  const token = await encode({
    secret,
    salt: SESSION_COOKIE,
    maxAge: 12 * 60 * 60,
    token: {
      sub: user.id,
      orgId,
      role: user.role,
      name: user.name,
      email: user.email,
      sessionVersion: user.sessionVersion,
    },
  });
  return `${SESSION_COOKIE}=${token}`;
}
