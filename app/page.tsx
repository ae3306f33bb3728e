import { redirect } from "next/navigation";
import { getActor } from "@/lib/auth/guard";
import { homeFor } from "@/lib/permissions";

/** "/" sends each role to its own home. */
export default async function Home() {
  const actor = await getActor();
  redirect(actor ? homeFor(actor.role) : "/sign-in");
}
