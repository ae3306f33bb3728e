/**
 * The lane of the embedded database's fair queue (db/pglite-proxy.ts) that a query belongs to:
 * the Next.js request it runs for (its work store, the same object for every query of one page
 * render, route handler or server action), else one shared lane (scripts, tests, start-up).
 */
import { workAsyncStorage } from "next/dist/server/app-render/work-async-storage.external";

const shared = {};

export function requestLane(): object {
  return workAsyncStorage.getStore() ?? shared;
}
