CREATE TABLE "complaint_facts" (
	"org_id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"team_id" uuid,
	"owner_id" uuid,
	"product_id" uuid,
	"root_cause_id" uuid,
	"channel" "channel" NOT NULL,
	"severity" "severity" NOT NULL,
	"angry" boolean NOT NULL,
	"advocate" boolean NOT NULL,
	"first_response_hours" double precision,
	"first_response_business_hours" double precision,
	"contacted_in_loop" boolean NOT NULL,
	"resolution_hours" double precision,
	"resolution_business_hours" double precision,
	"sla_counted" boolean NOT NULL,
	"sla_met" boolean NOT NULL,
	"promise_made" boolean NOT NULL,
	"promise_kept" boolean NOT NULL,
	"reopened" boolean NOT NULL,
	"ever_resolved" boolean NOT NULL,
	"required_steps_done" smallint NOT NULL,
	"all_required_steps" boolean NOT NULL,
	"steps_done" uuid[] NOT NULL,
	"remedy_delivered" boolean NOT NULL,
	"delivered_remedy_kinds" text[] NOT NULL,
	"followed_up" boolean NOT NULL,
	"retained30" boolean NOT NULL,
	"retained90" boolean NOT NULL,
	"retained180" boolean NOT NULL,
	"intake_nps" smallint,
	"nps_after" smallint,
	CONSTRAINT "complaint_facts_org_id_complaint_id_pk" PRIMARY KEY("org_id","complaint_id")
);
--> statement-breakpoint
CREATE TABLE "complaint_rollups" (
	"org_id" uuid NOT NULL,
	"basis" smallint NOT NULL,
	"dim" smallint NOT NULL,
	"key" varchar(40) NOT NULL,
	"day" date NOT NULL,
	"shard" smallint NOT NULL,
	"complaints" integer DEFAULT 0 NOT NULL,
	"angry" integer DEFAULT 0 NOT NULL,
	"advocate" integer DEFAULT 0 NOT NULL,
	"angry_advocate" integer DEFAULT 0 NOT NULL,
	"responded" integer DEFAULT 0 NOT NULL,
	"angry_responded" integer DEFAULT 0 NOT NULL,
	"angry_contacted_in_loop" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"sla_counted" integer DEFAULT 0 NOT NULL,
	"sla_met" integer DEFAULT 0 NOT NULL,
	"promise_made" integer DEFAULT 0 NOT NULL,
	"promise_kept" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"ever_resolved" integer DEFAULT 0 NOT NULL,
	"required_steps_done" integer DEFAULT 0 NOT NULL,
	"resolved_all_steps" integer DEFAULT 0 NOT NULL,
	"ttr0" integer DEFAULT 0 NOT NULL,
	"ttr1" integer DEFAULT 0 NOT NULL,
	"ttr2" integer DEFAULT 0 NOT NULL,
	"ttr3" integer DEFAULT 0 NOT NULL,
	"ttr4" integer DEFAULT 0 NOT NULL,
	"ttr5" integer DEFAULT 0 NOT NULL,
	"ttr6" integer DEFAULT 0 NOT NULL,
	"ttr7" integer DEFAULT 0 NOT NULL,
	"ttr8" integer DEFAULT 0 NOT NULL,
	"ttr9" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "complaint_rollups_org_id_basis_dim_key_day_shard_pk" PRIMARY KEY("org_id","basis","dim","key","day","shard")
);
--> statement-breakpoint
CREATE TABLE "rollup_state" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaint_facts" ADD CONSTRAINT "complaint_facts_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_rollups" ADD CONSTRAINT "complaint_rollups_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollup_state" ADD CONSTRAINT "rollup_state_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_facts_received_idx" ON "complaint_facts" USING btree ("org_id","received_at");--> statement-breakpoint
CREATE INDEX "complaint_facts_resolved_idx" ON "complaint_facts" USING btree ("org_id","resolved_at");--> statement-breakpoint
CREATE INDEX "complaint_facts_closed_idx" ON "complaint_facts" USING btree ("org_id","closed_at");--> statement-breakpoint
CREATE INDEX "complaint_facts_customer_idx" ON "complaint_facts" USING btree ("org_id","customer_id");