import { openApiDocument } from "@/lib/api/openapi";

// Public on purpose: the document describes the API, it holds no data.
export function GET(request: Request): Response {
  return Response.json(openApiDocument(new URL(request.url).origin), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
