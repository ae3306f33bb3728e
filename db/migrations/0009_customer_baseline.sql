CREATE TABLE "customer_baseline_facts" (
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"months" date[] NOT NULL,
	"flags" smallint[] NOT NULL,
	CONSTRAINT "customer_baseline_facts_org_id_customer_id_pk" PRIMARY KEY("org_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "customer_baseline_rollups" (
	"org_id" uuid NOT NULL,
	"month" date NOT NULL,
	"shard" smallint NOT NULL,
	"e30" integer DEFAULT 0 NOT NULL,
	"k30" integer DEFAULT 0 NOT NULL,
	"e90" integer DEFAULT 0 NOT NULL,
	"k90" integer DEFAULT 0 NOT NULL,
	"e180" integer DEFAULT 0 NOT NULL,
	"k180" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_baseline_rollups_org_id_month_shard_pk" PRIMARY KEY("org_id","month","shard")
);
--> statement-breakpoint
ALTER TABLE "customer_baseline_facts" ADD CONSTRAINT "customer_baseline_facts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_baseline_rollups" ADD CONSTRAINT "customer_baseline_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;