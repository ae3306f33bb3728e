import "server-only";
import { and, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDatabase } from "@/db";
import { products } from "@/db/schema";
import { refused, type ActionResult } from "@/lib/action-result";
import { authorise } from "@/lib/auth/guard";

export interface ProductListing {
  id: string;
  name: string;
  parentId: string | null;
  /** "Parent › Child" for a sub-product: what a complaint may name it by (productName). */
  path: string;
  /** The product's id in another system: what a complaint may name it by (productRef). */
  externalRef: string | null;
}

/** The organisation's products and sub-products, by path (anyone who may read complaints). */
export async function listProducts(): Promise<ActionResult<ProductListing[]>> {
  const auth = await authorise("complaint:read");
  if (!auth.ok) return refused(auth.reason, auth.message);
  return { ok: true, data: await productsWithPaths(auth.actor.orgId) };
}

/** Every product of an organisation with its path, sorted by path (callers authorise). */
export async function productsWithPaths(orgId: string): Promise<ProductListing[]> {
  const { db } = await getDatabase();
  const parent = alias(products, "parent");
  const rows = await db
    .select({
      id: products.id,
      name: products.name,
      parentId: products.parentId,
      externalRef: products.externalRef,
      parentName: parent.name,
    })
    .from(products)
    .leftJoin(parent, and(eq(parent.orgId, products.orgId), eq(parent.id, products.parentId)))
    .where(eq(products.orgId, orgId));
  return rows
    .map(({ parentName, ...p }) => ({
      ...p,
      path: parentName ? `${parentName} › ${p.name}` : p.name,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
