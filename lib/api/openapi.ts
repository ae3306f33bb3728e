/**
 * The OpenAPI 3.1 document, generated from the endpoint catalogue and the zod schemas
 * (z.toJSONSchema, draft 2020-12, which OpenAPI 3.1 uses as is).
 */
import { z } from "zod";
import { endpoints, type BodyDoc, type EndpointDoc } from "./catalogue";
import { rateLimit } from "./rate-limit";
import { apiSchemas } from "./schemas";

type Json = Record<string, unknown>;

const componentRef = (id: string) => `#/components/schemas/${id}`;

/** Dates are read from ISO 8601 text: say so rather than leave the field untyped. */
const options = (io: "input" | "output") =>
  ({
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx: { zodSchema: unknown; jsonSchema: Json }) => {
      const def = (ctx.zodSchema as { _zod?: { def?: { type?: string } } })._zod?.def;
      if (def?.type === "date") {
        ctx.jsonSchema.type = "string";
        ctx.jsonSchema.format = "date-time";
      }
    },
  }) as const;

function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, options(io)) as Json;
  return rest;
}

/** A form schema as a JSON request body: path-supplied fields out, defaults optional, notes in. */
export function bodySchema(body: BodyDoc): Json {
  const json = schemaOf(body.schema, "input");
  const properties = { ...(json.properties as Record<string, Json>) };
  for (const field of body.omit ?? []) delete properties[field];
  for (const field of body.numeric ?? []) {
    const text = properties[field];
    if (text) properties[field] = { anyOf: [text, { type: "number", minimum: 0 }] };
  }
  for (const [field, note] of Object.entries(body.notes ?? {})) {
    if (properties[field]) properties[field] = { ...properties[field], description: note };
  }
  const leaveOut = new Set([...(body.omit ?? []), ...(body.optional ?? [])]);
  const required = ((json.required as string[] | undefined) ?? []).filter((f) => !leaveOut.has(f));
  return { ...json, properties, required, additionalProperties: true };
}

function parameters(endpoint: EndpointDoc): Json[] {
  const out: Json[] = Object.entries(endpoint.pathParams ?? {}).map(([name, description]) => ({
    name,
    in: "path",
    required: true,
    description,
    schema:
      name === "id"
        ? { type: "string", format: "uuid" }
        : { type: "string", ...(endpoint.pathEnum ? { enum: endpoint.pathEnum } : {}) },
  }));
  if (endpoint.query) {
    for (const [name, field] of Object.entries(endpoint.query.shape)) {
      const schema = schemaOf(field as z.ZodType, "input");
      const { description, ...rest } = schema;
      out.push({
        name,
        in: "query",
        required: false,
        ...(description ? { description } : {}),
        schema: rest,
        ...(rest.type === "array" ? { style: "form", explode: true } : {}),
      });
    }
  }
  if (endpoint.method === "post") {
    out.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Retrying with the same key returns the first response (header Idempotent-Replayed: true) and changes nothing; the same key with a different body is 409 idempotency_mismatch.",
      schema: { type: "string", minLength: 1, maxLength: 200 },
    });
  }
  if (endpoint.body?.omit?.includes("complaintId")) {
    out.push({
      name: "If-Match",
      in: "header",
      required: false,
      description: 'The complaint version, e.g. "3", when the body has no `version`.',
      schema: { type: "string" },
    });
  }
  return out;
}

function responses(endpoint: EndpointDoc): Json {
  const out: Json = {};
  const all =
    endpoint.method === "post"
      ? { ...endpoint.responses, 413: { description: "A body over 1 MB." } }
      : endpoint.responses;
  for (const [status, response] of Object.entries(all)) {
    const schema = response.schema ?? (Number(status) >= 400 ? "Error" : undefined);
    out[status] = {
      description: response.description,
      ...(schema
        ? { content: { "application/json": { schema: { $ref: componentRef(schema) } } } }
        : {}),
    };
  }
  return out;
}

function operation(endpoint: EndpointDoc): Json {
  return {
    operationId: endpoint.operationId,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description:
      endpoint.description + (endpoint.scope ? `\n\nToken scope: ${endpoint.scope}.` : ""),
    ...(endpoint.scope ? {} : { security: [] }),
    parameters: parameters(endpoint),
    ...(endpoint.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: bodySchema(endpoint.body),
                example: endpoint.body.example,
              },
            },
          },
        }
      : {}),
    responses: responses(endpoint),
    "x-token-scope": endpoint.scope,
  };
}

/** The document for a server at `origin` (paths are under /api/v1). */
export function openApiDocument(origin = ""): Json {
  const components = z.toJSONSchema(apiSchemas, {
    ...options("output"),
    uri: componentRef,
  }) as { schemas: Record<string, Json> };
  const schemas = Object.fromEntries(
    Object.entries(components.schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]),
  );
  const paths: Record<string, Json> = {};
  for (const endpoint of endpoints) {
    (paths[endpoint.path] ??= {})[endpoint.method] = operation(endpoint);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Turnaround API",
      version: "1.0.0",
      description: `Complaints, recovery steps, customer activity and the dashboards' metrics, for one organisation per token. Authenticate with \`Authorization: Bearer trn_…\` (admins create tokens in Settings → API tokens). A token expires on the date chosen when it was made (at most a year ahead), and acts for the admin who made it: it may do what both its scope and that person's current role allow, and stops when they are deactivated; an expired, revoked or stopped token gets 401 with \`WWW-Authenticate: Bearer error="invalid_token"\`. Errors always have the shape of the Error schema. Each token may make ${rateLimit()} requests a minute (X-RateLimit-* headers; 429 with Retry-After beyond).`,
    },
    servers: [{ url: `${origin}/api/v1` }],
    tags: [
      { name: "Complaints", description: "Record, read and list complaints; recovery steps." },
      { name: "Customer activity", description: "Purchases, renewals, cancellations and more." },
      { name: "Metrics", description: "The dashboards' figures." },
      { name: "Document", description: "This description of the API." },
    ],
    security: [{ bearerToken: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (trn_…), scoped read or write. It expires (at most a year after it is made) and does no more than its creator's current role allows.",
        },
      },
      schemas,
    },
  };
}
