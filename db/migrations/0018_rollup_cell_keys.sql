ALTER TABLE "money_rollups" ALTER COLUMN "key" SET DATA TYPE varchar(80);--> statement-breakpoint
ALTER TABLE "remedy_rollups" ALTER COLUMN "key" SET DATA TYPE varchar(80);