CREATE TABLE "factor_rollups" (
	"org_id" uuid NOT NULL,
	"basis" smallint NOT NULL,
	"factor" varchar(60) NOT NULL,
	"day" date NOT NULL,
	"shard" smallint NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	"angry" integer DEFAULT 0 NOT NULL,
	"angry_advocate" integer DEFAULT 0 NOT NULL,
	"retained90" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "factor_rollups_org_id_basis_factor_day_shard_pk" PRIMARY KEY("org_id","basis","factor","day","shard")
);
--> statement-breakpoint
CREATE TABLE "money_rollups" (
	"org_id" uuid NOT NULL,
	"dim" smallint NOT NULL,
	"key" varchar(40) NOT NULL,
	"day" date NOT NULL,
	"currency" varchar(3) NOT NULL,
	"cost_minor" bigint DEFAULT 0 NOT NULL,
	"costed_complaints" integer DEFAULT 0 NOT NULL,
	"retained_revenue_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "money_rollups_org_id_dim_key_day_currency_pk" PRIMARY KEY("org_id","dim","key","day","currency")
);
--> statement-breakpoint
ALTER TABLE "complaint_facts" ADD COLUMN "repeat" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_facts" ADD COLUMN "delivered_costs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_facts" ADD COLUMN "revenue365" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "repeat" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "retained30" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "retained180" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "funnel_contacted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "funnel_remedied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "funnel_followed_up" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "funnel_advocate" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_fast" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_slow" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_unresolved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_advocate_fast" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_advocate_slow" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "angry_advocate_unresolved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "fast_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "slow_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "unresolved_minor" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "fast_major" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "slow_major" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "unresolved_major" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "fast_minor_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "slow_minor_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "unresolved_minor_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "fast_major_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "slow_major_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "unresolved_major_retained90" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_before" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_before_promoters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_before_detractors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_after" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_after_promoters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD COLUMN "nps_after_detractors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "factor_rollups" ADD CONSTRAINT "factor_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "money_rollups" ADD CONSTRAINT "money_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;