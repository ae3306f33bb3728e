import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A writer of small CSV files (one line per string) into a fresh temporary folder. */
export function csvFiles(prefix: string): (name: string, lines: string[]) => string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return (name, lines) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, lines.join("\n") + "\n");
    return p;
  };
}
