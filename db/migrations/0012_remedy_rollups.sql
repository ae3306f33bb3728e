CREATE TABLE "remedy_rollups" (
	"org_id" uuid NOT NULL,
	"dim" smallint NOT NULL,
	"key" varchar(40) NOT NULL,
	"day" date NOT NULL,
	"prev_day" date NOT NULL,
	"currency" varchar(3) NOT NULL,
	"cost_minor" bigint DEFAULT 0 NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "remedy_rollups_org_id_dim_key_day_prev_day_currency_pk" PRIMARY KEY("org_id","dim","key","day","prev_day","currency")
);
--> statement-breakpoint
ALTER TABLE "complaint_facts" ADD COLUMN "deliveries" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "remedy_rollups" ADD CONSTRAINT "remedy_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;