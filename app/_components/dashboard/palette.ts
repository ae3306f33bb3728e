/**
 * Okabe–Ito: eight colours that stay distinguishable for the common forms of colour blindness.
 * Charts take series colours in this order; `colors` names the ones with a meaning.
 */
export const palette = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#000000", // black
] as const;

export const colors = {
  primary: "#0072B2",
  secondary: "#E69F00",
  /** Better than before / on target. */
  good: "#009E73",
  /** Worse than before / off target. */
  bad: "#D55E00",
  neutral: "#64748b",
} as const;

/** The colour of series `i` (cycling through the palette). */
export function seriesColor(i: number): string {
  return palette[i % palette.length] ?? colors.primary;
}
