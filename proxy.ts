import { NextResponse, type NextRequest } from "next/server";
import { undecodableAction } from "@/app/_server/action-body";

// A convenience only: sends visitors without a session cookie to sign-in. Every page, action
// and route handler still checks the session and role itself (lib/auth/guard.ts).
// It also gives every page its Content-Security-Policy with a fresh nonce (docs/security.md);
// the headers that do not vary per request come from next.config.ts, for every path.
const publicPaths = ["/sign-in", "/setup", "/reset-password", "/api/auth"];
const sessionCookies = ["authjs.session-token", "__Secure-authjs.session-token"];

/**
 * The page policy: scripts only with this response's nonce (Next puts it on its own scripts when
 * it finds it in the request's policy) and what they load ('strict-dynamic'). Inline styles stay
 * allowed: React style attributes and the charts need them, and styles cannot run code.
 */
function pagePolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function isPublic(pathname: string): boolean {
  return publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

export default async function proxy(request: NextRequest) {
  // A server-action body Next cannot decode gets a 4xx, not Next's 500 (issue #12, H5).
  const undecodable = await undecodableAction(request);
  if (undecodable) return undecodable;
  const { pathname, search } = request.nextUrl;
  if (!isPublic(pathname) && !sessionCookies.some((name) => request.cookies.has(name))) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = pathname === "/" ? "" : `?returnTo=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }
  // API answers (Auth.js here) get next.config's strict policy instead.
  if (pathname.startsWith("/api/")) return NextResponse.next();

  const nonce = btoa(crypto.randomUUID());
  const policy = pagePolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

// Import uploads are left out: Next buffers (and cuts at 10 MB) any request body the proxy
// sees, and an import file must stream. The upload route checks the session itself.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1|import/upload/).*)"],
};
