import { NextResponse, type NextRequest } from "next/server";

// A convenience only: sends visitors without a session cookie to sign-in. Every page, action
// and route handler still checks the session and role itself (lib/auth/guard.ts).
const publicPaths = ["/sign-in", "/api/auth"];
const sessionCookies = ["authjs.session-token", "__Secure-authjs.session-token"];

export default function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`)))
    return NextResponse.next();
  if (sessionCookies.some((name) => request.cookies.has(name))) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = pathname === "/" ? "" : `?returnTo=${encodeURIComponent(pathname + search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1).*)"],
};
