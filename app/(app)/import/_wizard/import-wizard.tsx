"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { card } from "@/app/(app)/complaints/[id]/ui";
import { importFields, suggestMapping } from "@/lib/import/fields";
import type {
  ImportKind,
  ImportMapping,
  ImportMode,
  ImportPreview,
  ImportProgress,
  ImportSetup,
  RunKind,
} from "@/lib/import/types";
import { csvImportKinds } from "@/lib/import/types";
import { previewImportAction, startArchiveImportAction, startImportAction } from "../actions";
import { withProposal } from "./cause-mapping";
import { ChooseStep } from "./choose-step";
import { initialMapping, mappingForPreset, readSample, type FileSample } from "./csv-sample";
import { MappingStep } from "./mapping-step";
import { PreviewStep } from "./preview-step";
import { RunStep } from "./run-step";
import { sendFile } from "./send-file";

type Step = "choose" | "map" | "preview" | "run";
const csvKinds: readonly RunKind[] = csvImportKinds;
const runKinds: readonly RunKind[] = [...csvKinds, "archive"];
const steps: { key: Step; label: string }[] = [
  { key: "choose", label: "Choose the file" },
  { key: "map", label: "Map columns" },
  { key: "preview", label: "Preview" },
  { key: "run", label: "Import" },
];
// An archive names its own fields: nothing to map, nothing to preview.
const archiveSteps = steps.filter((s) => s.key === "choose" || s.key === "run");

/** Every field's label for a kind, whichever format names it. */
function allLabels(kind: ImportKind): Record<string, string> {
  const fields = [...importFields(kind, "cfpb"), ...importFields(kind, "generic")];
  return Object.fromEntries(fields.map((f) => [f.key, f.label]));
}

/**
 * The import, one step at a time: file → mapping → preview → live progress and summary. An
 * organisation archive (offered when `archive`: lib decides who may) goes file → progress.
 */
export function ImportWizard({
  setups,
  archive = false,
}: {
  setups: Record<ImportKind, ImportSetup>;
  archive?: boolean;
}) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("choose");
  const [kind, setKind] = useState<ImportKind>("complaints");
  const [archiveChosen, setArchiveChosen] = useState(false);
  const isArchive = archive && archiveChosen;
  const [file, setFile] = useState<File | null>(null);
  const [sample, setSample] = useState<FileSample | null>(null);
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mode, setMode] = useState<ImportMode>("skip");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Leaving mid-import would cut the upload short: ask first.
  const running = step === "run" && !runError && (!progress || progress.status === "running");
  useEffect(() => {
    if (!running) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);

  function go(next: Step) {
    setStep(next);
    setMessage(null);
    requestAnimationFrame(() => heading.current?.focus());
  }

  function reset() {
    setFile(null);
    setSample(null);
    setMapping(null);
    setPreview(null);
    setProgress(null);
    setRunError(null);
    setErrors({});
    go("choose");
  }

  async function readFile() {
    if (!file) return;
    setPending(true);
    try {
      const read = await readSample(file);
      setSample(read);
      if (read.error) return setMessage(read.error);
      setMapping(initialMapping(kind, read.headers, setups[kind].saved));
      setErrors({});
      go("map");
    } finally {
      setPending(false);
    }
  }

  async function showPreview() {
    if (!sample || !mapping) return;
    const missing = importFields(kind, mapping.preset).filter(
      (f) => f.required && !mapping.columns[f.key],
    );
    if (missing.length) {
      setErrors(
        Object.fromEntries(missing.map((f) => [f.key, ["Choose the column for this field."]])),
      );
      return setMessage(`Map the required ${missing.length === 1 ? "field" : "fields"} first.`);
    }
    if (sample.firstRowTooLong) {
      // Nothing whole to show from the first 64 KB; the import itself checks every row.
      setErrors({});
      setPreview({ headers: sample.headers, rows: [], fileErrors: [] });
      return go("preview");
    }
    setPending(true);
    try {
      const result = await previewImportAction({ kind, mapping, sample: sample.text });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        return setMessage(result.formError ?? "The preview could not be made.");
      }
      setErrors({});
      setPreview(result.data);
      // A CFPB file: the proposed root causes, to be confirmed on the preview step.
      setMapping(withProposal(mapping, result.data));
      go("preview");
    } finally {
      setPending(false);
    }
  }

  /** Step 4: the file streamed to the run's upload route, its progress shown as it lands. */
  async function upload(runId: string, sending: File, contentType: string) {
    setProgress(null);
    setRunError(null);
    go("run");
    const outcome = await sendFile(runId, sending, setProgress, contentType);
    setProgress(outcome.progress);
    setRunError(outcome.error);
    router.refresh();
  }

  async function startArchiveImport() {
    if (!file) return;
    setPending(true);
    let runId: string;
    try {
      const result = await startArchiveImportAction({
        mode,
        fileName: file.name,
        totalBytes: file.size,
      });
      if (!result.ok) {
        // No field of this step can be wrong by hand (the browser names the file and its size),
        // so the reasons are said in words beside the file.
        const reasons = Object.values(result.fieldErrors ?? {}).flat();
        return setMessage(
          reasons.length ? reasons.join(" ") : (result.formError ?? "The import could not start."),
        );
      }
      runId = result.data.runId;
    } catch {
      return setMessage("The import could not start: the server did not answer. Try again.");
    } finally {
      setPending(false);
    }
    await upload(runId, file, "application/x-ndjson");
  }

  async function startImport() {
    if (!file || !mapping) return;
    setPending(true);
    let runId: string;
    try {
      const result = await startImportAction({
        kind,
        mapping,
        mode,
        fileName: file.name,
        totalBytes: file.size,
      });
      if (!result.ok) {
        const fieldErrors = result.fieldErrors ?? {};
        setErrors(fieldErrors);
        // A mapping the server refuses is fixed on the mapping step, beside the field.
        // (The root-cause mapping is on the preview step itself.)
        if (
          Object.keys(fieldErrors).some((k) =>
            /^(mapping\.)?(columns|options)\.(?!causes|otherIssues|taxonomyConfirmed)/.test(k),
          )
        ) {
          go("map");
        }
        return setMessage(result.formError ?? "The import could not start.");
      }
      runId = result.data.runId;
    } finally {
      setPending(false);
    }
    await upload(runId, file, "text/csv");
  }

  const shownSteps = isArchive ? archiveSteps : steps;
  const current = shownSteps.findIndex((s) => s.key === step);
  return (
    <section className={card} aria-labelledby="import-step-heading">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {shownSteps.map((s, i) => (
          <li
            key={s.key}
            aria-current={i === current ? "step" : undefined}
            className={`flex items-center gap-2 rounded-full px-3 py-1 ${
              i === current
                ? "bg-brand-600 font-medium text-white"
                : i < current
                  ? "bg-brand-50 text-brand-900"
                  : "bg-slate-100 text-slate-500"
            }`}
          >
            <span aria-hidden="true">{i + 1}</span>
            {s.label}
          </li>
        ))}
      </ol>
      <h2
        id="import-step-heading"
        ref={heading}
        tabIndex={-1}
        className="mt-4 text-lg font-semibold text-slate-900 focus:outline-none"
      >
        {shownSteps[current]!.label}
      </h2>
      <div className="mt-4">
        {step === "choose" && (
          <ChooseStep
            kinds={archive ? runKinds : csvKinds}
            kind={isArchive ? "archive" : kind}
            file={file}
            mode={mode}
            error={message}
            pending={pending}
            onKind={(k) => {
              setArchiveChosen(k === "archive");
              if (k !== "archive") setKind(k);
              setMessage(null);
            }}
            onFile={(f) => {
              setFile(f);
              setMessage(null);
            }}
            onMode={setMode}
            onContinue={isArchive ? startArchiveImport : readFile}
          />
        )}
        {step === "map" && sample && mapping && (
          <MappingStep
            kind={kind}
            headers={sample.headers}
            examples={sample.examples}
            detected={suggestMapping(kind, sample.headers).preset}
            mapping={mapping}
            teams={setups[kind].teams}
            errors={errors}
            formError={message}
            pending={pending}
            onPreset={(p) => setMapping(mappingForPreset(kind, sample.headers, p, mapping))}
            onColumn={(key, header) =>
              setMapping({ ...mapping, columns: { ...mapping.columns, [key]: header } })
            }
            onOptions={(options) => setMapping({ ...mapping, options })}
            onBack={() => go("choose")}
            onPreview={showPreview}
          />
        )}
        {step === "preview" && preview && mapping && (
          <PreviewStep
            preview={preview}
            fields={importFields(kind, mapping.preset)}
            labels={allLabels(kind)}
            notice={
              sample?.firstRowTooLong
                ? "The first row is longer than 64 KB, so it cannot be previewed here. Every row is still checked during the import, and an oversized one is reported."
                : null
            }
            causes={
              kind === "complaints" && mapping.preset === "cfpb"
                ? {
                    proposal: preview.causes,
                    options: mapping.options,
                    errors,
                    onOptions: (options) => setMapping({ ...mapping, options }),
                  }
                : null
            }
            rawValue={(line, key) => {
              const index = sample?.headers.indexOf(mapping.columns[key] ?? "") ?? -1;
              if (index < 0) return undefined;
              return sample?.examples.find((r) => r.line === line)?.values[index];
            }}
            mode={mode}
            formError={message}
            pending={pending}
            onMode={setMode}
            onBack={() => go("map")}
            onStart={startImport}
          />
        )}
        {step === "run" && file && (
          <RunStep
            unit={isArchive ? "line" : "row"}
            fileName={file.name}
            totalBytes={file.size}
            progress={progress}
            error={runError}
            onAnother={reset}
          />
        )}
      </div>
    </section>
  );
}
