/*
 * Server-action requests Next cannot decode (issue #12). Next decodes an action's arguments
 * (React's reply format) before any of our code runs, and answers 500 when the body is not JSON,
 * is not an argument list, names a part it does not have, or is over its 1 MB limit. The proxy
 * calls this first, so such a request gets a 4xx instead; what decodes is left to Next and the
 * action's own check (app/_server/raw-args.ts). It allows exactly what React's client sends for
 * this app's actions: an argument list in JSON, with FormData, Map/Set/iterable and promise
 * parts in a multipart body; never server references, streams or binary parts.
 */

/** Next's default serverActions.bodySizeLimit (next.config.ts does not change it). */
export const ACTION_BODY_LIMIT = 1024 * 1024;

const MAX_DEPTH = 64;

function refuse(status: 400 | 413, message: string): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Values in React's reply format that stand for themselves (no other part needed). */
const inline = new Set(["$", "u", "N", "I", "-", "D", "T", "H", "K"]);
/** References to another part by hex id (an optional ":path" after it). */
const toPart = new Set(["Q", "W", "i", "@"]);

type Check = (id: number) => boolean;

/** True when every reference in `value` can be resolved from the parts `hasPart` knows. */
function resolvable(value: unknown, hasPart: Check, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === "string") {
    if (value[0] !== "$" || value.length < 2) return true;
    const kind = value[1]!;
    if (inline.has(kind)) return true;
    if (kind === "n") return /^\$n-?\d{1,300}$/.test(value);
    const ref = toPart.has(kind) ? value.slice(2) : /^[0-9a-f]/.test(kind) ? value.slice(1) : null;
    if (ref === null) return false; // server references, streams, blobs, typed arrays: never sent here
    const head = ref.split(":")[0]!;
    return /^[0-9a-f]{1,8}$/.test(head) && hasPart(parseInt(head, 16));
  }
  if (Array.isArray(value)) return value.every((v) => resolvable(v, hasPart, depth + 1));
  if (value && typeof value === "object") {
    return Object.values(value).every((v) => resolvable(v, hasPart, depth + 1));
  }
  return true;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A 400 or 413 for a server-action POST Next could not decode; null for any other request
 * (no Next-Action header, a form posted without JavaScript) and for one it can.
 */
export async function undecodableAction(request: Request): Promise<Response | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  // Next treats a urlencoded body as no action at all (its 404 page): nothing to decode.
  if (type.startsWith("application/x-www-form-urlencoded")) return null;
  const tooLarge = () => refuse(413, "The request body is over 1 MB.");
  if (Number(request.headers.get("content-length") ?? 0) > ACTION_BODY_LIMIT) return tooLarge();
  const unreadable = () => refuse(400, "Invalid Server Action request.");

  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.clone().formData();
    } catch {
      return unreadable();
    }
    const checked = new Set<number>();
    const hasPart: Check = (id) => {
      const part = form.get(String(id));
      if (typeof part !== "string") return false;
      if (checked.has(id)) return true;
      checked.add(id);
      const parsed = parseJson(part);
      return parsed.ok && resolvable(parsed.value, hasPart);
    };
    const root = form.get("0");
    if (typeof root !== "string") return unreadable();
    const parsed = parseJson(root);
    checked.add(0);
    return parsed.ok && Array.isArray(parsed.value) && resolvable(parsed.value, hasPart)
      ? null
      : unreadable();
  }

  const bytes = await request.clone().arrayBuffer();
  if (bytes.byteLength > ACTION_BODY_LIMIT) return tooLarge();
  const parsed = parseJson(new TextDecoder().decode(bytes));
  // A plain body has no other parts: only inline values resolve.
  return parsed.ok && Array.isArray(parsed.value) && resolvable(parsed.value, () => false)
    ? null
    : unreadable();
}
