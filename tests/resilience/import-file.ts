/**
 * The complaint file the crash tests import: several batches (BATCH_ROWS each) of generic rows
 * with what makes a resumed run easy to get wrong — rows rejected for a bad date or the wrong
 * number of columns, references repeated a batch later (an update; some unchanged), customers
 * named in many batches, stories over two lines with commas.
 */
import fs from "node:fs";

export const IMPORT_HEADER =
  "Ticket ID,Created,Channel,Subject,Description,Customer ID,Customer email";

const channels = ["Email", "Phone", "Chat", "Web"];

export interface ImportFileShape {
  /** Distinct references (rows before repeats and malformed lines). */
  rows: number;
  /** Prefix of every reference, so files for different tests never share a complaint. */
  prefix: string;
  /** The batch size the import will use: what goes wrong comes once or twice a batch. */
  batch?: number;
}

/** The file's lines: header first. */
export function importLines({ rows, prefix, batch = 2_500 }: ImportFileShape): string[] {
  const every = (share: number) => Math.max(2, Math.round(batch * share));
  const bad = every(0.399);
  const repeat = every(0.28);
  const back = every(0.52);
  const broken = every(0.7244);
  const lines = [IMPORT_HEADER];
  const row = (i: number, subject: string) => {
    const day = String(1 + (i % 28)).padStart(2, "0");
    // Now and then a date that does not exist: rejected with its line.
    const created = i % bad === 0 ? "2024-02-30" : `2024-03-${day}`;
    const customer = i % 41;
    return (
      `${prefix}-${i},${created},${channels[i % channels.length]},${subject},` +
      `"Story ${i}, told twice,\nsecond line",${prefix}K-${customer},k${customer}.${prefix.toLowerCase()}@example.test`
    );
  };
  for (let i = 1; i <= rows; i++) {
    lines.push(row(i, `Subject ${i}`));
    // A row half a batch back comes again, changed (an update) or, every third time, as it was.
    if (i % repeat === 0 && i > back) {
      const earlier = i - back;
      lines.push(
        row(earlier, i % (3 * repeat) === 0 ? `Subject ${earlier}` : `Changed ${earlier}`),
      );
    }
    // A line with too few columns: one rejected "(row)".
    if (i % broken === 0) lines.push(`${prefix}-broken-${i},2024-03-01,Email`);
  }
  return lines;
}

export function writeImportFile(file: string, shape: ImportFileShape): string {
  fs.writeFileSync(file, importLines(shape).join("\n") + "\n");
  return file;
}
