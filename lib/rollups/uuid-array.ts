import { sql } from "drizzle-orm";

/** A uuid[] parameter as one text value (the same on postgres.js and PGlite). */
export const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/** A UUID in text form (ids checked before they are written into SQL text). */
export const isUuid = (value: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
