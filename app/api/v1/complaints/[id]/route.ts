import { getComplaintEndpoint } from "@/lib/api/complaints";
import { apiRoute } from "@/lib/api/handler";

export const GET = apiRoute("complaints.get", getComplaintEndpoint);
