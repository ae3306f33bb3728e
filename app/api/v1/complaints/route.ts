import { createComplaintEndpoint, listComplaintsEndpoint } from "@/lib/api/complaints";
import { apiRoute } from "@/lib/api/handler";

export const GET = apiRoute("complaints.list", listComplaintsEndpoint);
export const POST = apiRoute("complaints.create", createComplaintEndpoint);
