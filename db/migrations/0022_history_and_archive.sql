ALTER TYPE "public"."import_kind" ADD VALUE 'archive';--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "times_inferred" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "complaints" ADD COLUMN "imported" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "remedy_approval_limit_minor" bigint DEFAULT 100000;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "external_ref" varchar(120);--> statement-breakpoint
ALTER TABLE "remedies" ADD COLUMN "approval_needed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "remedies" ADD COLUMN "approved_by" uuid;--> statement-breakpoint
ALTER TABLE "remedies" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "remedies" ADD CONSTRAINT "remedies_org_id_approved_by_users_org_id_id_fk" FOREIGN KEY ("org_id","approved_by") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_org_external_ref_key" UNIQUE("org_id","external_ref");