-- The agent's queue (lib/complaints/queue.ts) reads by index alone (1M complaints, an agent
-- owning 78,879 of them, 10,196 open follow-ups due: the follow-up count took 450–780 ms as one
-- complaint lookup per due follow-up; now a hash join of two index-only scans, ~35 ms).
-- The owner's complaints carry their id (for that join) and their SLA due time and promise (the
-- "past SLA or promise" count); open follow-ups carry their complaint and their own id.
DROP INDEX IF EXISTS "complaints_owner_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_owner_idx" ON "complaints" ("org_id", "owner_id", "status") INCLUDE ("id", "sla_due_at", "promised_by");--> statement-breakpoint
DROP INDEX IF EXISTS "follow_ups_due_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "follow_ups_due_idx" ON "follow_ups" ("org_id", "due_at") INCLUDE ("complaint_id", "id") WHERE "done_at" IS NULL;
