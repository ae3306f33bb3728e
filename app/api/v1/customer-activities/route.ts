import { recordActivityEndpoint } from "@/lib/api/activities";
import { apiRoute } from "@/lib/api/handler";

export const POST = apiRoute("customer-activities.create", recordActivityEndpoint);
