CREATE TABLE "duration_histograms" (
	"org_id" uuid NOT NULL,
	"measure" smallint NOT NULL,
	"span" smallint NOT NULL,
	"start" date NOT NULL,
	"bucket" smallint NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "duration_histograms_org_id_measure_span_start_bucket_pk" PRIMARY KEY("org_id","measure","span","start","bucket")
);
--> statement-breakpoint
ALTER TABLE "money_rollups" ADD COLUMN "revenue_complaints" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "duration_histograms" ADD CONSTRAINT "duration_histograms_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;