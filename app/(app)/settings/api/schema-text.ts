/** JSON Schema → the words the reference page shows: a type, its constraints, its fields. */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  description?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  pattern?: string;
};

export const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

/** "string (uuid)", "one of: a, b", "array of Complaint", "integer or null". */
export function typeText(schema: Schema | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return "any";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeText))].join(" or ");
  if (schema.enum) return `one of: ${schema.enum.map(String).join(", ")}`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const base = types
    .map((t) => {
      if (t === "array") return `array of ${typeText(schema.items)}`;
      if (
        t === "object" &&
        schema.additionalProperties &&
        typeof schema.additionalProperties === "object"
      )
        return `map of ${typeText(schema.additionalProperties)}`;
      return t;
    })
    .join(" or ");
  return schema.format ? `${base || "string"} (${schema.format})` : base || "any";
}

/** Limits worth telling a person: lengths, ranges, patterns that are not just a format. */
export function constraintText(schema: Schema | undefined): string {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(constraintText).filter(Boolean).join("; ");
  const parts: string[] = [];
  if (schema.minLength === 1) parts.push("not empty");
  else if (schema.minLength !== undefined && schema.minLength > 1)
    parts.push(`at least ${schema.minLength} characters`);
  if (schema.maxLength !== undefined)
    parts.push(`at most ${schema.maxLength.toLocaleString("en")} characters`);
  // z.number().int() says ±2^53−1: the limits of a JSON integer, not worth a word.
  const bound = (n: number | undefined) =>
    n === undefined || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
  const minimum = bound(schema.minimum);
  const maximum = bound(schema.maximum);
  if (minimum !== undefined && maximum !== undefined) parts.push(`${minimum} to ${maximum}`);
  else if (minimum !== undefined) parts.push(`≥ ${minimum}`);
  else if (maximum !== undefined) parts.push(`≤ ${maximum}`);
  else if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} items`);
  if (schema.pattern && !schema.format) parts.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(", ");
}

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  notes: string;
}

/** The top-level fields of an object schema, nested objects flattened as `parent.child`. */
export function fieldRows(schema: Schema | undefined, prefix = "", depth = 0): FieldRow[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, field]) => {
    const nullable = field.anyOf?.some((s) => s.type === "null");
    const inner = nullable ? field.anyOf!.find((s) => s.type !== "null") : field;
    const row: FieldRow = {
      name: prefix + name,
      type: typeText(field),
      required: required.has(name),
      notes: [field.description ?? inner?.description, constraintText(field)]
        .filter(Boolean)
        .join(" — "),
    };
    const nested =
      depth < 2 && inner?.type === "object"
        ? fieldRows(inner, `${prefix}${name}.`, depth + 1)
        : depth < 2 && inner?.type === "array" && inner.items?.type === "object"
          ? fieldRows(inner.items, `${prefix}${name}[].`, depth + 1)
          : [];
    return [row, ...nested];
  });
}
