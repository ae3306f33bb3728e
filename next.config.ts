import type { NextConfig } from "next";

// Headers every answer carries, pages, API and static files alike (docs/security.md). The page
// Content-Security-Policy needs a fresh nonce per request, so proxy.ts sets that one.
const everywhere = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
  },
  { key: "X-Frame-Options", value: "DENY" },
];
// What answers no page: the REST API, Auth.js, the import upload (all outside the page policy).
const noContent = [
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
];

const nextConfig: NextConfig = {
  // Lets two builds or dev servers of this checkout run side by side (e.g. NEXT_DIST_DIR=.next-b).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // PGlite loads its WASM from its own package folder; bundling it breaks that at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  async headers() {
    return [
      { source: "/:path*", headers: everywhere },
      { source: "/api/:path*", headers: noContent },
      { source: "/import/upload/:path*", headers: noContent },
      // HSTS only when the client came over HTTPS: x-turnaround-proto is ours, written by the
      // start-up hook from the socket or the trusted proxies (lib/auth/client-address-hook.ts).
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-turnaround-proto", value: "https" }],
        headers: [
          { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
        ],
      },
    ];
  },
};

export default nextConfig;
