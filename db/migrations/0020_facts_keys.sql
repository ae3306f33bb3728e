ALTER TABLE "complaint_facts" ADD COLUMN "keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "complaint_facts_keys_idx" ON "complaint_facts" USING gin ("keys");