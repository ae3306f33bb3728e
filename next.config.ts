import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Lets two builds or dev servers of this checkout run side by side (e.g. NEXT_DIST_DIR=.next-b).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // PGlite loads its WASM from its own package folder; bundling it breaks that at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
};

export default nextConfig;
