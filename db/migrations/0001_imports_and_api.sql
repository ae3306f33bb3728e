CREATE TYPE "public"."import_kind" AS ENUM('complaints', 'activities');--> statement-breakpoint
CREATE TYPE "public"."import_mode" AS ENUM('stop', 'skip');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('running', 'completed', 'failed', 'stopped');--> statement-breakpoint
CREATE TABLE "api_rate_windows" (
	"org_id" uuid NOT NULL,
	"token_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_rate_windows_org_id_token_id_window_start_pk" PRIMARY KEY("org_id","token_id","window_start")
);
--> statement-breakpoint
CREATE TABLE "import_mappings" (
	"org_id" uuid NOT NULL,
	"kind" "import_kind" NOT NULL,
	"preset" varchar(40) DEFAULT 'generic' NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mappings_org_id_kind_pk" PRIMARY KEY("org_id","kind")
);
--> statement-breakpoint
CREATE TABLE "import_rejections" (
	"org_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"line_number" integer NOT NULL,
	"field" varchar(120) NOT NULL,
	"reason" text NOT NULL,
	"value" text,
	CONSTRAINT "import_rejections_org_id_run_id_position_pk" PRIMARY KEY("org_id","run_id","position")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "import_kind" NOT NULL,
	"preset" varchar(40) DEFAULT 'generic' NOT NULL,
	"file_name" varchar(260) NOT NULL,
	"mode" "import_mode" NOT NULL,
	"status" "import_status" DEFAULT 'running' NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_created" integer DEFAULT 0 NOT NULL,
	"rows_updated" integer DEFAULT 0 NOT NULL,
	"rows_unchanged" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"message" text,
	CONSTRAINT "import_runs_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "api_rate_windows" ADD CONSTRAINT "api_rate_windows_org_id_token_id_api_tokens_org_id_id_fk" FOREIGN KEY ("org_id","token_id") REFERENCES "public"."api_tokens"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mappings" ADD CONSTRAINT "import_mappings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_mappings" ADD CONSTRAINT "import_mappings_org_id_updated_by_users_org_id_id_fk" FOREIGN KEY ("org_id","updated_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_org_id_run_id_import_runs_org_id_id_fk" FOREIGN KEY ("org_id","run_id") REFERENCES "public"."import_runs"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_org_id_started_by_users_org_id_id_fk" FOREIGN KEY ("org_id","started_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_org_started_idx" ON "import_runs" USING btree ("org_id","started_at");