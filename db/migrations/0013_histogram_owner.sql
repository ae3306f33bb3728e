ALTER TABLE "duration_histograms" ADD COLUMN "owner" varchar(40) DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "duration_histograms" DROP CONSTRAINT "duration_histograms_org_id_measure_span_start_bucket_pk";--> statement-breakpoint
ALTER TABLE "duration_histograms" ADD CONSTRAINT "duration_histograms_org_id_measure_span_start_owner_bucket_pk" PRIMARY KEY("org_id","measure","span","start","owner","bucket");
