import { completeFollowUpEndpoint } from "@/lib/api/complaints";
import { apiRoute } from "@/lib/api/handler";

export const POST = apiRoute("complaints.follow-ups.complete", completeFollowUpEndpoint);
