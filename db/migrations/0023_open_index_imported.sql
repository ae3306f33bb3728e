-- "Open" leaves out unowned imported history (lib/metrics/predicates.ts): the open and overdue
-- counts read complaints.imported, so the open-complaints index carries it too — without it every
-- open complaint was a heap fetch again (1M complaints: ~5 ms → ~245 ms per count).
DROP INDEX IF EXISTS "complaints_open_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "complaints_open_idx" ON "complaints" ("org_id", "received_at") INCLUDE ("sla_due_at", "team_id", "owner_id", "channel", "severity", "product_id", "root_cause_id", "imported") WHERE "status" IN ('new', 'in_progress');
