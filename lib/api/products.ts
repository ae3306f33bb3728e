import "server-only";
import { listProducts } from "@/lib/products/queries";
import { refusalError, type ApiReply } from "./errors";
import type { ApiContext } from "./handler";

/** GET /products: what a complaint's productId or productName can name. */
export async function listProductsEndpoint(_ctx: ApiContext): Promise<ApiReply> {
  const result = await listProducts();
  if (!result.ok) throw refusalError(result);
  return { status: 200, body: { data: result.data } };
}
