/**
 * Formula-injection neutralising on its own, with no dependencies, so the browser-side chart
 * "Download CSV" uses the same rule as the server exports.
 */
/**
 * First characters that make a spreadsheet evaluate a cell (OWASP "CSV injection"), including
 * the full-width forms Apple Numbers normalises to = + - @.
 */
const FORMULA_TRIGGERS = new Set([
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\r",
  "\uFF1D",
  "\uFF0B",
  "\uFF0D",
  "\uFF20",
]);

/** `=cmd|' /C calc'!A0` → `'=cmd|' /C calc'!A0`: the leading `'` makes a spreadsheet show text. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}
