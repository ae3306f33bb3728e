import { authorise } from "@/lib/auth/guard";
import { runImport } from "@/lib/import";
import { authRefusal, isRunId, json, jsonError, noSuchRun, refusal } from "../../runs/respond";

/**
 * POST: the file of a run opened by startImportAction, as the raw request body. The body is
 * handed to the importer as a stream (never read whole); this path is outside the proxy's
 * matcher because the proxy would buffer, and cut at 10 MB, any body it sees.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ runId: string }> },
): Promise<Response> {
  const auth = await authorise("import:run");
  if (!auth.ok) return authRefusal(auth);
  const { runId } = await params;
  if (!isRunId(runId)) return noSuchRun();
  if (!request.body) return jsonError(400, "Send the CSV file as the request body.");
  const result = await runImport(runId, request.body);
  return result.ok ? json(result.data) : refusal(result);
}
