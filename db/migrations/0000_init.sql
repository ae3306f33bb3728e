CREATE TYPE "public"."activity_kind" AS ENUM('purchase', 'renewal', 'cancellation', 'referral', 'review', 'survey');--> statement-breakpoint
CREATE TYPE "public"."actor_kind" AS ENUM('user', 'api_token', 'import', 'system');--> statement-breakpoint
CREATE TYPE "public"."advocacy_kind" AS ENUM('referral', 'positive_review', 'testimonial', 'repeat_purchase');--> statement-breakpoint
CREATE TYPE "public"."channel" AS ENUM('phone', 'email', 'chat', 'web', 'social', 'in_person', 'letter');--> statement-breakpoint
CREATE TYPE "public"."complaint_status" AS ENUM('new', 'in_progress', 'resolved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."corrective_action_status" AS ENUM('proposed', 'in_progress', 'done', 'verified');--> statement-breakpoint
CREATE TYPE "public"."remedy_decision" AS ENUM('pending', 'accepted', 'declined');--> statement-breakpoint
CREATE TYPE "public"."remedy_kind" AS ENUM('refund', 'replacement', 'repair', 'credit', 'discount', 'coupon', 'free_service', 'upgrade', 'gift', 'apology_only', 'other');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('agent', 'manager', 'quality', 'executive', 'admin');--> statement-breakpoint
CREATE TYPE "public"."severity" AS ENUM('minor', 'moderate', 'major', 'critical');--> statement-breakpoint
CREATE TYPE "public"."token_scope" AS ENUM('read', 'write');--> statement-breakpoint
CREATE TABLE "advocacy_signals" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" "advocacy_kind" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text,
	CONSTRAINT "advocacy_signals_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "advocacy_signals_once_key" UNIQUE("org_id","complaint_id","kind")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(120) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"scope" "token_scope" NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "api_tokens_org_hash_key" UNIQUE("org_id","token_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_kind" "actor_kind" NOT NULL,
	"actor_id" uuid,
	"entity" varchar(40) NOT NULL,
	"entity_id" varchar(120) NOT NULL,
	"complaint_id" uuid,
	"action" varchar(60) NOT NULL,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "audit_events_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "complaint_steps" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"step_id" uuid NOT NULL,
	"done_by" uuid,
	"done_at" timestamp with time zone NOT NULL,
	"note" text,
	CONSTRAINT "complaint_steps_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "complaint_steps_once_key" UNIQUE("org_id","complaint_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"channel" "channel" NOT NULL,
	"product_id" uuid,
	"team_id" uuid,
	"owner_id" uuid,
	"severity" "severity" NOT NULL,
	"summary" varchar(300) NOT NULL,
	"story" text DEFAULT '' NOT NULL,
	"paraphrase" text,
	"intake_sentiment" smallint,
	"intake_nps" smallint,
	"status" "complaint_status" DEFAULT 'new' NOT NULL,
	"sla_due_at" timestamp with time zone,
	"promised_by" timestamp with time zone,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reopen_count" smallint DEFAULT 0 NOT NULL,
	"no_remedy_reason" text,
	"customer_unreachable" boolean DEFAULT false NOT NULL,
	"root_cause_id" uuid,
	"five_whys" text,
	"regulated_issue_id" uuid,
	"timely_response" boolean,
	"external_ref" varchar(120),
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaints_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "complaints_org_external_ref_key" UNIQUE("org_id","external_ref"),
	CONSTRAINT "complaints_sentiment_range" CHECK ("complaints"."intake_sentiment" between 1 and 5),
	CONSTRAINT "complaints_nps_range" CHECK ("complaints"."intake_nps" between 0 and 10),
	CONSTRAINT "complaints_version_positive" CHECK ("complaints"."version" > 0),
	CONSTRAINT "complaints_resolved_after_received" CHECK ("complaints"."resolved_at" is null or "complaints"."resolved_at" >= "complaints"."received_at")
);
--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"root_cause_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text,
	"owner_id" uuid,
	"status" "corrective_action_status" DEFAULT 'proposed' NOT NULL,
	"due_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"verification_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "corrective_actions_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "customer_activities" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" "activity_kind" NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"amount_minor" bigint DEFAULT 0 NOT NULL,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"score" smallint,
	"external_ref" varchar(120),
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_activities_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "customer_activities_org_external_ref_key" UNIQUE("org_id","external_ref"),
	CONSTRAINT "customer_activities_score_range" CHECK ("customer_activities"."score" between 0 and 10),
	CONSTRAINT "customer_activities_amount_nonneg" CHECK ("customer_activities"."amount_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "customer_updates" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"sent_by" uuid,
	"channel" "channel" NOT NULL,
	"message" text NOT NULL,
	CONSTRAINT "customer_updates_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"email" varchar(254),
	"phone" varchar(50),
	"segment" varchar(60),
	"lifetime_value_minor" bigint DEFAULT 0 NOT NULL,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"external_ref" varchar(120),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "customers_org_external_ref_key" UNIQUE("org_id","external_ref"),
	CONSTRAINT "customers_ltv_nonneg" CHECK ("customers"."lifetime_value_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"channel" "channel",
	"sentiment" smallint,
	"nps" smallint,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_ups_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "follow_ups_sentiment_range" CHECK ("follow_ups"."sentiment" between 1 and 5),
	CONSTRAINT "follow_ups_nps_range" CHECK ("follow_ups"."nps" between 0 and 10)
);
--> statement-breakpoint
CREATE TABLE "holidays" (
	"org_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" varchar(120) NOT NULL,
	CONSTRAINT "holidays_org_id_policy_id_day_pk" PRIMARY KEY("org_id","policy_id","day")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"org_id" uuid NOT NULL,
	"key" varchar(200) NOT NULL,
	"operation" varchar(80) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"response_status" smallint,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_org_id_key_operation_pk" PRIMARY KEY("org_id","key","operation")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"org_id" uuid NOT NULL,
	"complaint_id" uuid NOT NULL,
	"final_sentiment" smallint,
	"final_nps" smallint,
	"churned_at" timestamp with time zone,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "outcomes_org_id_complaint_id_pk" PRIMARY KEY("org_id","complaint_id"),
	CONSTRAINT "outcomes_sentiment_range" CHECK ("outcomes"."final_sentiment" between 1 and 5),
	CONSTRAINT "outcomes_nps_range" CHECK ("outcomes"."final_nps" between 0 and 10)
);
--> statement-breakpoint
CREATE TABLE "playbook_steps" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" varchar(40) NOT NULL,
	"name" varchar(80) NOT NULL,
	"guidance" text NOT NULL,
	"position" smallint NOT NULL,
	"required" boolean DEFAULT true NOT NULL,
	"customer_facing" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "playbook_steps_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "playbook_steps_org_key_key" UNIQUE("org_id","key")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"parent_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "products_org_name_key" UNIQUE NULLS NOT DISTINCT("org_id","parent_id","name")
);
--> statement-breakpoint
CREATE TABLE "regulated_issues" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"product" varchar(200) NOT NULL,
	"sub_product" varchar(200) DEFAULT '' NOT NULL,
	"issue" varchar(300) NOT NULL,
	"sub_issue" varchar(300) DEFAULT '' NOT NULL,
	"root_cause_id" uuid,
	CONSTRAINT "regulated_issues_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "regulated_issues_org_path_key" UNIQUE("org_id","product","sub_product","issue","sub_issue")
);
--> statement-breakpoint
CREATE TABLE "remedies" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"complaint_id" uuid NOT NULL,
	"kind" "remedy_kind" NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"cost_minor" bigint,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"suggested_by_customer" boolean DEFAULT false NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"offered_by" uuid,
	"decision" "remedy_decision" DEFAULT 'pending' NOT NULL,
	"decided_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "remedies_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "remedies_cost_nonneg" CHECK ("remedies"."cost_minor" >= 0),
	CONSTRAINT "remedies_currency_iso" CHECK ("remedies"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "root_cause_categories" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"key" varchar(40) NOT NULL,
	"name" varchar(120) NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "root_cause_categories_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "root_cause_categories_org_key_key" UNIQUE("org_id","key")
);
--> statement-breakpoint
CREATE TABLE "root_causes" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"category_id" uuid NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" text,
	"recurrence_window_weeks" smallint DEFAULT 8 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "root_causes_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "root_causes_org_category_name_key" UNIQUE("org_id","category_id","name"),
	CONSTRAINT "root_causes_window_range" CHECK ("root_causes"."recurrence_window_weeks" between 1 and 104)
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"key" varchar(300) PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(120) NOT NULL,
	"timezone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"working_days" smallint[] DEFAULT '{1,2,3,4,5}'::smallint[] NOT NULL,
	"workday_start_minute" smallint DEFAULT 540 NOT NULL,
	"workday_end_minute" smallint DEFAULT 1020 NOT NULL,
	"closed_loop_hours" smallint DEFAULT 48 NOT NULL,
	"is_default" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sla_policies_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sla_policies_workday_range" CHECK ("sla_policies"."workday_start_minute" >= 0 and "sla_policies"."workday_end_minute" <= 1440 and "sla_policies"."workday_start_minute" < "sla_policies"."workday_end_minute"),
	CONSTRAINT "sla_policies_closed_loop_positive" CHECK ("sla_policies"."closed_loop_hours" > 0)
);
--> statement-breakpoint
CREATE TABLE "sla_targets" (
	"org_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"severity" "severity" NOT NULL,
	"first_response_hours" integer NOT NULL,
	"resolution_hours" integer NOT NULL,
	"business_hours" boolean DEFAULT true NOT NULL,
	CONSTRAINT "sla_targets_org_id_policy_id_severity_pk" PRIMARY KEY("org_id","policy_id","severity"),
	CONSTRAINT "sla_targets_positive" CHECK ("sla_targets"."first_response_hours" > 0 and "sla_targets"."resolution_hours" > 0)
);
--> statement-breakpoint
CREATE TABLE "team_memberships" (
	"org_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "team_memberships_org_id_team_id_user_id_pk" PRIMARY KEY("org_id","team_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(120) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "teams_org_name_key" UNIQUE("org_id","name")
);
--> statement-breakpoint
CREATE TABLE "user_logins" (
	"email" varchar(254) PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "user_logins_email_lower" CHECK ("user_logins"."email" = lower("user_logins"."email"))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(254) NOT NULL,
	"name" varchar(120) NOT NULL,
	"role" "role" NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "users_org_email_key" UNIQUE("org_id","email")
);
--> statement-breakpoint
ALTER TABLE "advocacy_signals" ADD CONSTRAINT "advocacy_signals_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_org_id_created_by_users_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_steps" ADD CONSTRAINT "complaint_steps_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_steps" ADD CONSTRAINT "complaint_steps_org_id_step_id_playbook_steps_org_id_id_fk" FOREIGN KEY ("org_id","step_id") REFERENCES "public"."playbook_steps"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_steps" ADD CONSTRAINT "complaint_steps_org_id_done_by_users_org_id_id_fk" FOREIGN KEY ("org_id","done_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_customer_id_customers_org_id_id_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_product_id_products_org_id_id_fk" FOREIGN KEY ("org_id","product_id") REFERENCES "public"."products"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_owner_id_users_org_id_id_fk" FOREIGN KEY ("org_id","owner_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_root_cause_id_root_causes_org_id_id_fk" FOREIGN KEY ("org_id","root_cause_id") REFERENCES "public"."root_causes"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_org_id_regulated_issue_id_regulated_issues_org_id_id_fk" FOREIGN KEY ("org_id","regulated_issue_id") REFERENCES "public"."regulated_issues"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_org_id_root_cause_id_root_causes_org_id_id_fk" FOREIGN KEY ("org_id","root_cause_id") REFERENCES "public"."root_causes"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrective_actions" ADD CONSTRAINT "corrective_actions_org_id_owner_id_users_org_id_id_fk" FOREIGN KEY ("org_id","owner_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_activities" ADD CONSTRAINT "customer_activities_org_id_customer_id_customers_org_id_id_fk" FOREIGN KEY ("org_id","customer_id") REFERENCES "public"."customers"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_updates" ADD CONSTRAINT "customer_updates_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_updates" ADD CONSTRAINT "customer_updates_org_id_sent_by_users_org_id_id_fk" FOREIGN KEY ("org_id","sent_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_org_id_done_by_users_org_id_id_fk" FOREIGN KEY ("org_id","done_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_org_id_policy_id_sla_policies_org_id_id_fk" FOREIGN KEY ("org_id","policy_id") REFERENCES "public"."sla_policies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_org_id_recorded_by_users_org_id_id_fk" FOREIGN KEY ("org_id","recorded_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "playbook_steps" ADD CONSTRAINT "playbook_steps_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_org_id_parent_id_products_org_id_id_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."products"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulated_issues" ADD CONSTRAINT "regulated_issues_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regulated_issues" ADD CONSTRAINT "regulated_issues_org_id_root_cause_id_root_causes_org_id_id_fk" FOREIGN KEY ("org_id","root_cause_id") REFERENCES "public"."root_causes"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remedies" ADD CONSTRAINT "remedies_org_id_complaint_id_complaints_org_id_id_fk" FOREIGN KEY ("org_id","complaint_id") REFERENCES "public"."complaints"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remedies" ADD CONSTRAINT "remedies_org_id_offered_by_users_org_id_id_fk" FOREIGN KEY ("org_id","offered_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "root_cause_categories" ADD CONSTRAINT "root_cause_categories_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "root_causes" ADD CONSTRAINT "root_causes_org_id_category_id_root_cause_categories_org_id_id_fk" FOREIGN KEY ("org_id","category_id") REFERENCES "public"."root_cause_categories"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_org_id_policy_id_sla_policies_org_id_id_fk" FOREIGN KEY ("org_id","policy_id") REFERENCES "public"."sla_policies"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_logins" ADD CONSTRAINT "user_logins_org_id_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_complaint_idx" ON "audit_events" USING btree ("org_id","complaint_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("org_id","entity","entity_id");--> statement-breakpoint
CREATE INDEX "audit_events_time_idx" ON "audit_events" USING btree ("org_id","occurred_at");--> statement-breakpoint
CREATE INDEX "complaint_steps_step_idx" ON "complaint_steps" USING btree ("org_id","step_id");--> statement-breakpoint
CREATE INDEX "complaints_received_idx" ON "complaints" USING btree ("org_id","received_at","id");--> statement-breakpoint
CREATE INDEX "complaints_status_idx" ON "complaints" USING btree ("org_id","status","received_at");--> statement-breakpoint
CREATE INDEX "complaints_team_idx" ON "complaints" USING btree ("org_id","team_id","received_at");--> statement-breakpoint
CREATE INDEX "complaints_owner_idx" ON "complaints" USING btree ("org_id","owner_id","status");--> statement-breakpoint
CREATE INDEX "complaints_root_cause_idx" ON "complaints" USING btree ("org_id","root_cause_id","received_at");--> statement-breakpoint
CREATE INDEX "complaints_customer_idx" ON "complaints" USING btree ("org_id","customer_id","received_at");--> statement-breakpoint
CREATE INDEX "complaints_resolved_idx" ON "complaints" USING btree ("org_id","resolved_at");--> statement-breakpoint
CREATE INDEX "corrective_actions_root_cause_idx" ON "corrective_actions" USING btree ("org_id","root_cause_id");--> statement-breakpoint
CREATE INDEX "customer_activities_customer_idx" ON "customer_activities" USING btree ("org_id","customer_id","occurred_at");--> statement-breakpoint
CREATE INDEX "customer_updates_complaint_idx" ON "customer_updates" USING btree ("org_id","complaint_id");--> statement-breakpoint
CREATE INDEX "customers_org_email_idx" ON "customers" USING btree ("org_id","email");--> statement-breakpoint
CREATE INDEX "customers_org_name_idx" ON "customers" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "follow_ups_complaint_idx" ON "follow_ups" USING btree ("org_id","complaint_id");--> statement-breakpoint
CREATE INDEX "follow_ups_due_idx" ON "follow_ups" USING btree ("org_id","due_at") WHERE "follow_ups"."done_at" is null;--> statement-breakpoint
CREATE INDEX "remedies_complaint_idx" ON "remedies" USING btree ("org_id","complaint_id");--> statement-breakpoint
CREATE INDEX "remedies_delivered_idx" ON "remedies" USING btree ("org_id","delivered_at");--> statement-breakpoint
CREATE INDEX "team_memberships_user_idx" ON "team_memberships" USING btree ("org_id","user_id");