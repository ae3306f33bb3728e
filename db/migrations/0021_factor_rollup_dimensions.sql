ALTER TABLE "factor_rollups" DROP CONSTRAINT "factor_rollups_org_id_basis_factor_day_shard_pk";--> statement-breakpoint
ALTER TABLE "factor_rollups" ADD COLUMN "dim" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "factor_rollups" ADD COLUMN "key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "factor_rollups" ADD CONSTRAINT "factor_rollups_org_id_basis_dim_key_factor_day_shard_pk" PRIMARY KEY("org_id","basis","dim","key","factor","day","shard");
