/*
 * Step 4's network half: the file streamed to the run's upload route, its progress polled
 * meanwhile. Browser only.
 */
import type { ImportProgress } from "@/lib/import/types";
import { progressHref, uploadHref } from "../labels";

/** How often the progress is read while the file streams in. */
const POLL_MS = 700;

async function readProgress(runId: string): Promise<ImportProgress | null> {
  const response = await fetch(progressHref(runId), { cache: "no-store" });
  return response.ok ? ((await response.json()) as ImportProgress) : null;
}

/**
 * Sends the file as the request body and reports progress until the upload answers. Resolves
 * with the run's final state, and a message when it could not finish.
 */
export async function sendFile(
  runId: string,
  file: File,
  onProgress: (progress: ImportProgress) => void,
  contentType = "text/csv",
): Promise<{ progress: ImportProgress | null; error: string | null }> {
  let finished = false;
  void (async () => {
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const latest = await readProgress(runId).catch(() => null);
      if (latest && !finished) onProgress(latest);
      // Nothing will move an interrupted run on: stop asking and let the step show why.
      if (latest?.status === "interrupted") break;
    }
  })();
  try {
    // A File body is read from disk as it is sent: the browser never holds it whole.
    const response = await fetch(uploadHref(runId), {
      method: "POST",
      body: file,
      headers: { "content-type": contentType },
    });
    const body = (await response.json().catch(() => null)) as
      ImportProgress | { error?: { message?: string } } | null;
    finished = true;
    if (response.ok && body && "runId" in body) return { progress: body, error: null };
    return {
      progress: await readProgress(runId).catch(() => null),
      error:
        (body && "error" in body && body.error?.message) ||
        `The import could not finish (the server answered ${response.status}).`,
    };
  } catch {
    finished = true;
    return {
      progress: await readProgress(runId).catch(() => null),
      error:
        "The connection was lost while the file was being sent. Rows already written stay; import the file again to finish (nothing is duplicated).",
    };
  }
}
