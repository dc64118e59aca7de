ALTER TYPE "public"."review_status" ADD VALUE IF NOT EXISTS 'RESOLVED';--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD COLUMN "regency_codes" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX "duplicate_candidates_regencies_idx" ON "duplicate_candidates" USING gin ("regency_codes");--> statement-breakpoint
CREATE TABLE "duplicate_scans" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duplicate_scans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor" text NOT NULL,
	"programs" text[],
	"regions" text[] NOT NULL,
	"model_version" text NOT NULL,
	"incremental" boolean NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"compared" integer NOT NULL,
	"candidates" integer NOT NULL,
	"new_candidates" integer NOT NULL
);--> statement-breakpoint
CREATE INDEX "duplicate_scans_started_idx" ON "duplicate_scans" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "enrolments_updated_idx" ON "enrolments" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "enrolments_regency_birth_date_idx" ON "enrolments" USING btree ("regency_code","birth_date");--> statement-breakpoint
CREATE INDEX "enrolments_name_norm_idx" ON "enrolments" USING btree ("name_norm");--> statement-breakpoint
CREATE INDEX "enrolments_nik_head_idx" ON "enrolments" USING btree (left("nik", 12));--> statement-breakpoint
CREATE INDEX "enrolments_nik_tail_idx" ON "enrolments" USING btree (substr("nik", 7));
