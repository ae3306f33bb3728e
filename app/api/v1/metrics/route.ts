import { apiRoute } from "@/lib/api/handler";
import { listMetricsEndpoint } from "@/lib/api/metrics";

export const GET = apiRoute("metrics.list", listMetricsEndpoint);
