import { apiRoute } from "@/lib/api/handler";
import { listProductsEndpoint } from "@/lib/api/products";

export const GET = apiRoute("products.list", listProductsEndpoint);
