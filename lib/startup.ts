import { getDatabase } from "@/db";
import { ensureRollups } from "@/lib/rollups/rebuild";
import { DEMO_USERS, isDemoSeeded, seedDemo } from "@/db/seed/demo";

/** Migrates, seeds the demo organisation on an empty database, and prints the demo sign-ins. */
export async function prepareDatabase(): Promise<void> {
  const handle = await getDatabase();
  const where =
    handle.engine === "pglite"
      ? `PGlite in ${process.env.TURNAROUND_DATA_DIR ?? ".data"}`
      : "PostgreSQL";
  console.log(`[turnaround] database ready (${where})`);
  if (process.env.TURNAROUND_SEED === "off") {
    await ensureRollups(handle.db, (m) => console.log(`[turnaround] ${m}`));
    return;
  }
  if (!(await isDemoSeeded(handle.db))) {
    const complaints = Number(process.env.TURNAROUND_SEED_COMPLAINTS ?? 20000);
    console.log(
      `[turnaround] empty database: seeding the demo organisation (${complaints} complaints)…`,
    );
    const result = await seedDemo(handle, {
      complaints,
      log: (m) => console.log(`[turnaround] ${m}`),
    });
    console.log(`[turnaround] demo data ready in ${(result.ms / 1000).toFixed(1)} s`);
  }
  await ensureRollups(handle.db, (m) => console.log(`[turnaround] ${m}`));
  console.log("[turnaround] demo sign-ins:");
  for (const user of DEMO_USERS)
    console.log(`[turnaround]   ${user.role.padEnd(9)} ${user.email}  ${user.password}`);
}
