ALTER TABLE "complaint_facts" ADD COLUMN "cell" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "complaint_facts_cell_closed_idx" ON "complaint_facts" USING btree ("org_id","cell","closed_at");--> statement-breakpoint
-- Filters on team, channel or severity read the facts of their cells; the received and resolved
-- cell indexes also cover the percentile columns, so a filtered percentile is an index-only scan.
CREATE INDEX "complaint_facts_cell_received_idx" ON "complaint_facts" ("org_id","cell","received_at") INCLUDE ("first_response_hours", "first_response_business_hours", "angry", "owner_id");--> statement-breakpoint
CREATE INDEX "complaint_facts_cell_resolved_idx" ON "complaint_facts" ("org_id","cell","resolved_at") INCLUDE ("resolution_hours", "resolution_business_hours", "owner_id");
