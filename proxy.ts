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

// Import uploads are left out: Next buffers (and cuts at 10 MB) any request body the proxy
// sees, and an import file must stream. The upload route checks the session itself.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1|import/upload/).*)"],
};
