-- Covering indexes for the percentile tiles' edge days (lib/rollups/read.ts): the facts of a few
-- days are read by an index-only scan instead of one wide heap row each. Not in schema.ts:
-- drizzle's index builder has no INCLUDE.
CREATE INDEX IF NOT EXISTS "complaint_facts_received_durations_idx" ON "complaint_facts" ("org_id", "received_at") INCLUDE ("first_response_hours", "first_response_business_hours", "angry", "owner_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaint_facts_resolved_durations_idx" ON "complaint_facts" ("org_id", "resolved_at") INCLUDE ("resolution_hours", "resolution_business_hours", "owner_id");
