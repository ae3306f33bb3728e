import { authorise } from "@/lib/auth/guard";
import { rejectionsCsv } from "@/lib/import";
import { authRefusal, isRunId, noSuchRun } from "../../respond";

/** GET: the validation report, every rejected row with line, field, reason and value, streamed. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ runId: string }> },
): Promise<Response> {
  const auth = await authorise("import:run");
  if (!auth.ok) return authRefusal(auth);
  const { runId } = await params;
  if (!isRunId(runId)) return noSuchRun();
  const stream = await rejectionsCsv(runId);
  if (!stream) return noSuchRun();
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="import-${runId.slice(0, 8)}-rejected-rows.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
