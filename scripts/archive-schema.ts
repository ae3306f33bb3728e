/** Writes docs/archive.schema.json from the archive's zod schema (lib/archive/format.ts). */
import fs from "node:fs";
import { archiveJsonSchema } from "../lib/archive/format";

fs.writeFileSync("docs/archive.schema.json", `${JSON.stringify(archiveJsonSchema(), null, 2)}\n`);
console.log("docs/archive.schema.json written.");
