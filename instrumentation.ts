// Runs once when the server starts, before it serves: refuse a production start without
// AUTH_SECRET, migrate, seed the demo where allowed, or print the one-time setup code.
// Doing it inside the server process matters for PGlite, which one process may open at a time.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  (await import("./lib/auth/client-address-hook")).installClientAddressHook(); // client address: socket + trusted proxies
  const { prepareDatabase, refuseToStartIfMisconfigured } = await import("./lib/startup");
  refuseToStartIfMisconfigured();
  await prepareDatabase();
}
