/**
 * What the permission matrix must cover, found in the code rather than listed by hand: every
 * exported function of a "use server" module under app/ (a server action anyone can POST to), every
 * HTTP method a route.ts under app/ exports, and every page.tsx. A new one without a row in
 * rows.ts / pages.ts fails the matrix test, naming it.
 */
import fs from "node:fs";
import path from "node:path";

// Both vitest and Playwright run from the repository's root.
export const appDir = path.resolve(process.cwd(), "app");
const root = path.resolve(appDir, "..");

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.(ts|tsx|js|jsx|mjs)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

const relative = (file: string) => path.relative(root, file).split(path.sep).join("/");

/** Strips comments, so a commented-out export or directive is not counted. */
function code(file: string): string {
  return fs
    .readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** A module whose first statement is the "use server" directive. */
function isServerModule(source: string): boolean {
  return /^\s*(["'])use server\1\s*;?/.test(source);
}

/** Names a module exports at run time (types left out): functions, consts, `export { a, b }`. */
function exportedValues(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*(\w+)/g))
    names.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s+(\w+)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/export\s+(?:const|let|var)\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(",")) {
      const name = part.split(":").pop()!.trim();
      if (name) names.add(name);
    }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(",")) {
      const bits = part.trim().split(/\s+as\s+/);
      const name = (bits[1] ?? bits[0] ?? "").trim();
      if (name && !name.startsWith("type ")) names.add(name);
    }
  if (/export\s+default\s+(?!async\s+function|function)/.test(source)) names.add("default");
  return [...names].sort();
}

export interface FoundAction {
  /** "app/(app)/complaints/actions.ts#recordStepAction" */
  key: string;
  file: string;
  name: string;
}

/** Every server action: each export of each "use server" module under app/. */
export function serverActions(): FoundAction[] {
  const found: FoundAction[] = [];
  for (const file of walk(appDir)) {
    const source = code(file);
    if (isServerModule(source)) {
      for (const name of exportedValues(source))
        found.push({ key: `${relative(file)}#${name}`, file: relative(file), name });
    } else if (/(["'])use server\1/.test(source)) {
      // An inline server action (inside a component): it gets an id too, so it needs a row.
      found.push({
        key: `${relative(file)}#<inline "use server">`,
        file: relative(file),
        name: "",
      });
    }
  }
  return found;
}

/** The URL path of an app/ file's folder: route groups and private folders dropped. */
export function urlPath(file: string): string {
  const dir = path.dirname(path.relative(appDir, path.resolve(root, file)));
  const parts = dir === "." ? [] : dir.split(path.sep);
  const url = parts.filter((p) => !/^\(.*\)$/.test(p) && !p.startsWith("@")).join("/");
  return `/${url}`;
}

const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

export interface FoundRoute {
  /** "GET /api/v1/complaints/[id]" */
  key: string;
  file: string;
  method: string;
  path: string;
}

/** Every route handler: each HTTP method each route.ts under app/ exports. */
export function routeHandlers(): FoundRoute[] {
  const found: FoundRoute[] = [];
  for (const file of walk(appDir)) {
    if (!/\/route\.(ts|js|tsx|jsx)$/.test(file)) continue;
    const rel = relative(file);
    const p = urlPath(rel);
    for (const name of exportedValues(code(file)))
      if (httpMethods.includes(name))
        found.push({ key: `${name} ${p}`, file: rel, method: name, path: p });
  }
  return found;
}

export interface FoundPage {
  /** "/complaints/[id]" */
  path: string;
  file: string;
}

/** Every page: each page.tsx under app/. */
export function pages(): FoundPage[] {
  return walk(appDir)
    .filter((file) => /\/page\.(tsx|ts|jsx|js)$/.test(file))
    .map((file) => ({ path: urlPath(relative(file)), file: relative(file) }));
}
