import { archiveJsonSchema } from "@/lib/archive/format";

// Public on purpose, like the OpenAPI document: the schema describes the format, it holds no data.
export function GET(): Response {
  return Response.json(archiveJsonSchema(), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
