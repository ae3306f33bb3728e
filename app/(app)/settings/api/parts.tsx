/** The pieces of the API reference page: one endpoint, its field tables, the metrics table. */
import { metricCatalogue } from "@/lib/api/metrics";
import { fieldRows, refName, typeText, type FieldRow, type Schema } from "./schema-text";

export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Schema;
}
export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema; example: unknown } } };
  responses: Record<
    string,
    { description: string; content?: { "application/json": { schema: Schema } } }
  >;
  "x-token-scope": "read" | "write" | null;
}
export interface Document {
  info: { description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const methodStyle: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
};

const examplePath: Record<string, string> = {
  listComplaints: "/complaints?status=new&status=in_progress&limit=20",
  getMetric: "/metrics/sla-met?range=30d",
};

function curl(base: string, method: string, path: string, op: Operation): string {
  const url =
    base +
    (examplePath[op.operationId] ?? path)
      .replace("{id}", "$COMPLAINT_ID")
      .replace("{name}", "sla-met");
  const lines = [`curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} "${url}"`];
  if (op["x-token-scope"]) lines.push(`  -H "Authorization: Bearer $TURNAROUND_TOKEN"`);
  const body = op.requestBody?.content["application/json"].example;
  if (body) {
    lines.push(`  -H "Content-Type: application/json"`, `  -H "Idempotency-Key: $(uuidgen)"`);
    lines.push(`  -d '${JSON.stringify(body, null, 2).replace(/\n/g, "\n  ")}'`);
  }
  return lines.join(" \\\n");
}

/** Text with `code` spans, as the document's descriptions are written. */
export function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.85em]">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function FieldTable({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  if (!rows.length) return null;
  return (
    <table className="mt-2 w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-4 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 pr-4 font-medium">
            Type
          </th>
          <th scope="col" className="py-1 font-medium">
            Notes
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {rows.map((row) => (
          <tr key={row.name}>
            <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap">
              {row.name}
              {row.required && (
                <span className="ml-1 text-red-700" title="required">
                  *
                </span>
              )}
            </td>
            <td className="py-1.5 pr-4 text-xs text-slate-700">{row.type}</td>
            <td className="py-1.5 text-xs text-slate-600">
              <Prose text={row.notes} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ParameterTable({ parameters }: { parameters: Parameter[] }) {
  if (!parameters.length) return null;
  return (
    <div>
      <h4 className="mt-4 text-sm font-semibold text-slate-800">Parameters</h4>
      <FieldTable
        caption="Parameters"
        rows={parameters.map((p) => ({
          name: p.in === "query" ? p.name : `${p.name} (${p.in})`,
          type: typeText(p.schema),
          required: p.required,
          notes: p.description ?? "",
        }))}
      />
    </div>
  );
}

export function Endpoint({
  base,
  method,
  path,
  op,
}: {
  base: string;
  method: string;
  path: string;
  op: Operation;
}) {
  const body = op.requestBody?.content["application/json"].schema;
  return (
    <article
      id={op.operationId}
      className="scroll-mt-6 rounded-lg border border-slate-200 bg-white p-5"
    >
      <header className="flex flex-wrap items-center gap-3">
        <span
          className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${methodStyle[method] ?? ""}`}
        >
          {method}
        </span>
        <code className="font-mono text-sm font-medium text-slate-900">/api/v1{path}</code>
        <span className="text-sm text-slate-600">— {op.summary}</span>
        <span className="ml-auto rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
          {op["x-token-scope"] ? `${op["x-token-scope"]} token` : "no token needed"}
        </span>
      </header>
      <p className="mt-2 max-w-4xl text-sm text-slate-700">
        <Prose text={op.description.split("\n\n")[0]!} />
      </p>
      <ParameterTable parameters={op.parameters} />
      {body && (
        <div>
          <h4 className="mt-4 text-sm font-semibold text-slate-800">Request body (JSON)</h4>
          <FieldTable caption="Request body" rows={fieldRows(body)} />
        </div>
      )}
      <h4 className="mt-4 text-sm font-semibold text-slate-800">Responses</h4>
      <ul className="mt-1 space-y-1 text-sm">
        {Object.entries(op.responses).map(([status, response]) => {
          const schema = response.content?.["application/json"].schema;
          return (
            <li key={status} className="flex gap-3">
              <span
                className={`w-10 font-mono text-xs font-semibold ${Number(status) < 300 ? "text-emerald-800" : "text-red-800"}`}
              >
                {status}
              </span>
              <span className="text-slate-700">
                <Prose text={response.description} />
                {schema?.$ref && (
                  <>
                    {" "}
                    <a
                      href={`#schema-${refName(schema.$ref)}`}
                      className="text-brand-700 underline"
                    >
                      {refName(schema.$ref)}
                    </a>
                  </>
                )}
              </span>
            </li>
          );
        })}
      </ul>
      <h4 className="mt-4 text-sm font-semibold text-slate-800">Example</h4>
      <pre className="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">
        {curl(base, method, path, op)}
      </pre>
    </article>
  );
}

export function MetricsTable() {
  return (
    <div id="metrics-list" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="text-lg font-semibold">The metrics</h2>
      <p className="text-sm text-slate-600">
        Each is <code className="font-mono">GET /api/v1/metrics/&lt;name&gt;</code>, with the
        dashboard filters above.
      </p>
      <table className="mt-2 w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              Name
            </th>
            <th scope="col" className="py-1 pr-4 font-medium">
              Dashboard
            </th>
            <th scope="col" className="py-1 font-medium">
              What it is
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {metricCatalogue().map((metric) => (
            <tr key={metric.name}>
              <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap">{metric.name}</td>
              <td className="py-1.5 pr-4 text-xs text-slate-700">{metric.dashboard}</td>
              <td className="py-1.5 text-xs text-slate-600">
                {metric.description}
                {metric.options.length > 0 && ` Options: ${metric.options.join(", ")}.`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
