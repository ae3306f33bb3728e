ALTER TABLE "import_runs" ADD COLUMN "total_bytes" bigint;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "mapping" jsonb;