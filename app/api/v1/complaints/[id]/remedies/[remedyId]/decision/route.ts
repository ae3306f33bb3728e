import { decideRemedyEndpoint } from "@/lib/api/complaints";
import { apiRoute } from "@/lib/api/handler";

export const POST = apiRoute("complaints.remedies.decide", decideRemedyEndpoint);
