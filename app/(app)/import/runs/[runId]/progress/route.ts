import { authorise } from "@/lib/auth/guard";
import { getImportProgress } from "@/lib/import";
import { authRefusal, isRunId, json, noSuchRun } from "../../respond";

/** GET: how far the run has got, polled by the import page while the file streams in. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ runId: string }> },
): Promise<Response> {
  const auth = await authorise("import:run");
  if (!auth.ok) return authRefusal(auth);
  const { runId } = await params;
  if (!isRunId(runId)) return noSuchRun();
  const progress = await getImportProgress(runId);
  return progress ? json(progress) : noSuchRun();
}
