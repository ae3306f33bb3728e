import "server-only";
import { recordCustomerActivity } from "@/lib/customers/activity";
import { refusalError, type ApiReply } from "./errors";
import type { ApiContext } from "./handler";

/** Money typed as a JSON number is read as the decimal text a CSV cell would carry. */
const asText = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v);

export async function recordActivityEndpoint(ctx: ApiContext): Promise<ApiReply> {
  const result = await recordCustomerActivity({ ...ctx.body, amount: asText(ctx.body.amount) });
  if (!result.ok) throw refusalError(result);
  // 201 for a new activity; 200 when its reference was already recorded (nothing changed).
  return { status: result.data.created ? 201 : 200, body: { data: result.data } };
}
