-- Cell key method (ONS / ABS) for the disclosure control of stats and coverage: every household,
-- person and enrolment carries a fixed random record key 0..255, drawn once when the row is
-- created (the column default; imports and seeds never name the column, so an update keeps it).
-- A cell's key is sum(record_key) % 256 over its rows (src/modules/analytics/analytics.perturbation.ts).
-- Adding a column with a volatile default rewrites each table once, giving every existing row its own key.
ALTER TABLE "households" ADD COLUMN "record_key" smallint DEFAULT floor(random() * 256) NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_record_key_range" CHECK ("households"."record_key" BETWEEN 0 AND 255);--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "record_key" smallint DEFAULT floor(random() * 256) NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_record_key_range" CHECK ("persons"."record_key" BETWEEN 0 AND 255);--> statement-breakpoint
ALTER TABLE "enrolments" ADD COLUMN "record_key" smallint DEFAULT floor(random() * 256) NOT NULL;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_record_key_range" CHECK ("enrolments"."record_key" BETWEEN 0 AND 255);
