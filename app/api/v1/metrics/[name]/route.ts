import { apiRoute } from "@/lib/api/handler";
import { metricEndpoint } from "@/lib/api/metrics";

export const GET = apiRoute("metrics.get", metricEndpoint);
