ALTER TABLE "complaint_facts" ADD COLUMN "cell" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "complaint_facts_cell_received_idx" ON "complaint_facts" USING btree ("org_id","cell","received_at");--> statement-breakpoint
CREATE INDEX "complaint_facts_cell_resolved_idx" ON "complaint_facts" USING btree ("org_id","cell","resolved_at");--> statement-breakpoint
CREATE INDEX "complaint_facts_cell_closed_idx" ON "complaint_facts" USING btree ("org_id","cell","closed_at");