import type { Metadata } from "next";
import { headers } from "next/headers";
import { openApiDocument } from "@/lib/api/openapi";
import { requirePermission } from "@/lib/auth/guard";
import { Endpoint, FieldTable, MetricsTable, Prose, type Document } from "./parts";
import { fieldRows } from "./schema-text";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiReferencePage() {
  await requirePermission("api-token:manage");
  const host = (await headers()).get("host") ?? "localhost:3000";
  const origin = `${host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https"}://${host}`;
  const doc = openApiDocument(origin) as unknown as Document;
  const base = doc.servers[0]!.url;
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <section className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="mt-1 max-w-4xl text-slate-600">
          <Prose text={doc.info.description} />
        </p>
        <dl className="mt-4 grid max-w-4xl grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="font-medium text-slate-700">Base URL</dt>
          <dd>
            <code className="font-mono">{base}</code>
          </dd>
          <dt className="font-medium text-slate-700">Errors</dt>
          <dd className="text-slate-600">
            Always{" "}
            <code className="font-mono">{`{ "error": { "code", "message", "fields"? } }`}</code>:
            400 validation_failed (with fields) or bad_request, 401, 403, 404, 409 version_conflict
            / idempotency_mismatch, 429 rate_limited. See{" "}
            <a href="#schema-Error" className="text-brand-700 underline">
              Error
            </a>
            .
          </dd>
          <dt className="font-medium text-slate-700">Retries</dt>
          <dd className="text-slate-600">
            Send an <code className="font-mono">Idempotency-Key</code> with every POST: a retry gets
            the first response back (<code className="font-mono">Idempotent-Replayed: true</code>).
          </dd>
          <dt className="font-medium text-slate-700">Pages</dt>
          <dd className="text-slate-600">
            Lists return <code className="font-mono">nextCursor</code>; pass it as{" "}
            <code className="font-mono">cursor</code> until it is null.
          </dd>
          <dt className="font-medium text-slate-700">Machine-readable</dt>
          <dd>
            <a href="/api/v1/openapi.json" className="text-brand-700 underline">
              /api/v1/openapi.json
            </a>{" "}
            <span className="text-slate-600">(OpenAPI 3.1)</span>
          </dd>
        </dl>
      </div>
      <nav aria-label="Endpoints" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="text-sm font-semibold text-slate-800">Endpoints</h2>
        <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {doc.tags.map((tag) => (
            <div key={tag.name}>
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">
                {tag.name}
              </p>
              <ul className="mt-1 space-y-0.5 text-sm">
                {operations
                  .filter(({ op }) => op.tags.includes(tag.name))
                  .map(({ path, method, op }) => (
                    <li key={op.operationId}>
                      <a href={`#${op.operationId}`} className="text-brand-700 hover:underline">
                        <span className="font-mono text-xs uppercase text-slate-500">{method}</span>{" "}
                        {path}
                      </a>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </div>
      </nav>
      {doc.tags.map((tag) => (
        <div key={tag.name} className="space-y-4">
          <div>
            <h2 className="text-xl font-semibold">{tag.name}</h2>
            <p className="text-sm text-slate-600">{tag.description}</p>
          </div>
          {operations
            .filter(({ op }) => op.tags.includes(tag.name))
            .map(({ path, method, op }) => (
              <Endpoint key={op.operationId} base={base} method={method} path={path} op={op} />
            ))}
          {tag.name === "Metrics" && <MetricsTable />}
        </div>
      ))}
      <div className="space-y-4">
        <h2 className="text-xl font-semibold">Schemas</h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <div
            key={name}
            id={`schema-${name}`}
            className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-5"
          >
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            <FieldTable caption={name} rows={fieldRows(schema)} />
          </div>
        ))}
      </div>
    </section>
  );
}
