/** What the signed-in actor may do with archives, for pages that offer them (lib decides). */
import "server-only";
import { getActor } from "@/lib/auth/guard";
import { actorCan } from "@/lib/permissions";

/** Whether the /import page offers "Organisation archive": admins only (the permission table says). */
export async function mayImportArchive(): Promise<boolean> {
  const actor = await getActor();
  return actor !== null && actorCan(actor, "archive:import");
}
