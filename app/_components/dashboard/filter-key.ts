/**
 * A short key per filter set (FNV-1a of its JSON): panels' <Suspense> boundaries take it, so they
 * re-suspend (and show their skeletons) when the filters change. Short, because every boundary
 * carries its key in the page's payload.
 */
export function filterKey(value: unknown): string {
  const text = JSON.stringify(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
