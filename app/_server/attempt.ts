import "server-only";
import { unstable_rethrow } from "next/navigation";
import { failed, type ActionResult } from "@/lib/action-result";

/**
 * A server action's command: its result or — when it fails unexpectedly (a bug, the database
 * gone) — the error logged and a refusal with a message the form shows, never an empty form
 * (issue #11). Next's redirects and not-found interrupts pass through.
 */
export async function attempt<T>(
  what: string,
  work: () => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  try {
    return await work();
  } catch (error) {
    unstable_rethrow(error);
    console.error(`[action] ${what} failed`, error);
    return failed<T>();
  }
}
