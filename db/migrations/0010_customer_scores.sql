CREATE TABLE "customer_score_rollups" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"prev_day" date NOT NULL,
	"next_day" date NOT NULL,
	"shard" smallint NOT NULL,
	"responses" integer DEFAULT 0 NOT NULL,
	"promoters" integer DEFAULT 0 NOT NULL,
	"detractors" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_score_rollups_org_id_day_prev_day_next_day_shard_pk" PRIMARY KEY("org_id","day","prev_day","next_day","shard")
);
--> statement-breakpoint
ALTER TABLE "customer_baseline_facts" ADD COLUMN "score_days" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_baseline_facts" ADD COLUMN "score_prev" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_baseline_facts" ADD COLUMN "score_next" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_baseline_facts" ADD COLUMN "score_class" smallint[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_score_rollups" ADD CONSTRAINT "customer_score_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;