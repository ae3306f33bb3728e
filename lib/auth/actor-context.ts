import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Actor } from "./guard";

/**
 * The actor for work that does not come from a signed-in browser session: an API request
 * authenticated by token, or an import run started by a user. Commands still authorise
 * themselves through `authorise()`, which reads this before the session cookie.
 */
const storage = new AsyncLocalStorage<Actor>();

export function runAsActor<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
  return storage.run(actor, work);
}

export function actingAs(): Actor | undefined {
  return storage.getStore();
}
