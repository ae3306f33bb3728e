// Runs once when the server starts, before it serves: migrate, and seed the demo when empty.
// Doing it inside the server process matters for PGlite, which one process may open at a time.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { prepareDatabase } = await import("./lib/startup");
  await prepareDatabase();
}
