-- READ audit entries of one request are written as one row per subject type and field set,
-- carrying its subjects as arrays (subject_ids[i] lives in village_codes[i]), instead of one row
-- per subject: a nested page of 100 enrolments reads ~500 persons' names, which cost ~500 rows
-- in five indexes per request. subject_id / village_code stay for entries about one subject
-- (DENIED, MUTATION, IMPORT) and for the READ entries written before this migration.
ALTER TABLE "audit_entries" ADD COLUMN "subject_ids" text[];--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "village_codes" text[] COLLATE "C";--> statement-breakpoint
CREATE INDEX "audit_entries_subject_ids_idx" ON "audit_entries" USING gin ("subject_ids");--> statement-breakpoint
-- One row per subject, whichever way it was written: what auditLog answers, and what an auditor
-- querying the database reads. `n` orders the subjects of one row (0 for a one-subject row).
CREATE VIEW "audit_subject_entries" AS
SELECT a.id, coalesce(s.n, 0)::int AS n, a.at, a.actor, a.role, a.action, a.operation, a.subject_type,
       coalesce(s.subject_id, a.subject_id) AS subject_id, coalesce(s.village_code, a.village_code) AS village_code,
       a.fields, a.request_id
FROM audit_entries a
LEFT JOIN LATERAL unnest(a.subject_ids, a.village_codes) WITH ORDINALITY AS s(subject_id, village_code, n) ON true;
