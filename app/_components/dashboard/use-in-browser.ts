"use client";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/**
 * False while rendering on the server (and hydrating), true in the browser after. What only
 * the browser needs (long option lists, a table's many drill-down links) is drawn then: the
 * data crosses the wire once, in the payload, not a second time as markup.
 */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
