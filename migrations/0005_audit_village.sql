ALTER TABLE "audit_entries" ADD COLUMN "village_code" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "audit_entries_village_idx" ON "audit_entries" USING btree ("village_code","id");