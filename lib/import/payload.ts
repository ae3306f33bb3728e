/**
 * A batch as one JSON document, the parameter every set-based import statement reads with
 * json_to_recordset / json_array_elements_text: one statement per batch, never one per row.
 */
export const json = (rows: unknown): string => JSON.stringify(rows);
