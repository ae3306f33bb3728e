import { sql } from "drizzle-orm";

/** A uuid[] parameter as one text value (the same on postgres.js and PGlite). */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;
