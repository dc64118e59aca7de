CREATE TYPE "public"."audit_action" AS ENUM('READ', 'MUTATION', 'IMPORT', 'DENIED');--> statement-breakpoint
CREATE TYPE "public"."duplicate_kind" AS ENUM('SAME_NIK', 'SAME_FAMILY', 'EXCLUSIVE_PROGRAMS', 'PROBABLE_SAME_PERSON');--> statement-breakpoint
CREATE TYPE "public"."enrolment_status" AS ENUM('ACTIVE', 'SUSPENDED', 'ENDED');--> statement-breakpoint
CREATE TYPE "public"."import_kind" AS ENUM('PROGRAMS', 'HOUSEHOLDS', 'PERSONS', 'ENROLMENTS', 'CIVIL_REGISTRY', 'REFERRALS');--> statement-breakpoint
CREATE TYPE "public"."import_status" AS ENUM('RUNNING', 'FINISHED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."marital_status" AS ENUM('SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED');--> statement-breakpoint
CREATE TYPE "public"."ppks_category" AS ENUM('ANAK_BALITA_TELANTAR', 'ANAK_TELANTAR', 'ANAK_BERHADAPAN_HUKUM', 'ANAK_JALANAN', 'ANAK_DISABILITAS', 'ANAK_KORBAN_KEKERASAN', 'ANAK_PERLINDUNGAN_KHUSUS', 'LANJUT_USIA_TELANTAR', 'PENYANDANG_DISABILITAS', 'TUNA_SUSILA', 'GELANDANGAN', 'PENGEMIS', 'PEMULUNG', 'KELOMPOK_MINORITAS', 'BEKAS_WARGA_BINAAN', 'ODHA', 'KORBAN_NAPZA', 'KORBAN_TRAFFICKING', 'KORBAN_KEKERASAN', 'PEKERJA_MIGRAN_BERMASALAH', 'KORBAN_BENCANA_ALAM', 'KORBAN_BENCANA_SOSIAL', 'PEREMPUAN_RAWAN_SOSIAL_EKONOMI', 'FAKIR_MISKIN', 'KELUARGA_BERMASALAH_PSIKOLOGIS', 'KOMUNITAS_ADAT_TERPENCIL');--> statement-breakpoint
CREATE TYPE "public"."presence" AS ENUM('PRESENT', 'DECEASED', 'MOVED', 'MOVED_ABROAD', 'NEW_MEMBER', 'NOT_FOUND');--> statement-breakpoint
CREATE TYPE "public"."referral_category" AS ENUM('HEALTH', 'EDUCATION', 'SOCIAL_ECONOMIC', 'FOOD', 'ENERGY', 'AGRICULTURE', 'FISHERIES', 'HOUSING', 'CIVIL_REGISTRATION');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('REGISTERED', 'VERIFYING', 'REFERRED', 'RESOLVED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "public"."region_level" AS ENUM('PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE');--> statement-breakpoint
CREATE TYPE "public"."relationship" AS ENUM('HEAD', 'SPOUSE', 'CHILD', 'IN_LAW', 'GRANDCHILD', 'PARENT', 'HELPER', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."review_status" AS ENUM('OPEN', 'CONFIRMED', 'DISMISSED');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('M', 'F');--> statement-breakpoint
CREATE TYPE "public"."target_unit" AS ENUM('INDIVIDUAL', 'FAMILY', 'HOUSEHOLD');--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text COLLATE "C" PRIMARY KEY NOT NULL,
	"parent_code" text COLLATE "C",
	"level" "region_level" NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "regions_code_matches_level" CHECK (("regions"."level" = 'PROVINCE' AND "regions"."code" ~ '^[0-9]{2}$')
       OR ("regions"."level" = 'REGENCY' AND "regions"."code" ~ '^[0-9]{2}\.[0-9]{2}$')
       OR ("regions"."level" = 'DISTRICT' AND "regions"."code" ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$')
       OR ("regions"."level" = 'VILLAGE' AND "regions"."code" ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$')),
	CONSTRAINT "regions_parent_is_prefix" CHECK ("regions"."parent_code" IS NULL OR starts_with("regions"."code", "regions"."parent_code" || '.'))
);
--> statement-breakpoint
CREATE TABLE "program_exclusions" (
	"program_code" text NOT NULL,
	"excluded_code" text NOT NULL,
	CONSTRAINT "program_exclusions_pkey" PRIMARY KEY("program_code","excluded_code"),
	CONSTRAINT "program_exclusions_not_self" CHECK ("program_exclusions"."program_code" <> "program_exclusions"."excluded_code")
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"target_unit" "target_unit" NOT NULL,
	"built_in" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_code_shape" CHECK ("programs"."code" ~ '^[A-Z][A-Z0-9_]{1,31}$'),
	CONSTRAINT "programs_name_length" CHECK (char_length("programs"."name") BETWEEN 1 AND 200)
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" text PRIMARY KEY NOT NULL,
	"village_code" text COLLATE "C" NOT NULL,
	"regency_code" text COLLATE "C" GENERATED ALWAYS AS (substr(village_code, 1, 5)) STORED NOT NULL,
	"address" text,
	"rt" text,
	"rw" text,
	"desil" smallint,
	"collected_on" date,
	"floor" smallint,
	"wall" smallint,
	"roof" smallint,
	"water_source" smallint,
	"lighting" smallint,
	"cooking_fuel" smallint,
	"toilet" smallint,
	"tenure" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_id_village_key" UNIQUE("id","village_code"),
	CONSTRAINT "households_id_shape" CHECK (char_length("households"."id") BETWEEN 1 AND 64),
	CONSTRAINT "households_desil_range" CHECK ("households"."desil" BETWEEN 1 AND 10),
	CONSTRAINT "households_address_length" CHECK (char_length("households"."address") <= 500),
	CONSTRAINT "households_rt_rw_length" CHECK (char_length("households"."rt") <= 8 AND char_length("households"."rw") <= 8),
	CONSTRAINT "households_housing_codes" CHECK ("households"."floor" BETWEEN 1 AND 9 AND "households"."wall" BETWEEN 1 AND 7 AND "households"."roof" BETWEEN 1 AND 8
      AND "households"."water_source" BETWEEN 1 AND 13 AND "households"."lighting" BETWEEN 1 AND 4
      AND "households"."cooking_fuel" BETWEEN 1 AND 12 AND "households"."toilet" BETWEEN 1 AND 6 AND "households"."tenure" BETWEEN 1 AND 6)
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" text PRIMARY KEY NOT NULL,
	"household_id" text NOT NULL,
	"village_code" text COLLATE "C" NOT NULL,
	"regency_code" text COLLATE "C" GENERATED ALWAYS AS (substr(village_code, 1, 5)) STORED NOT NULL,
	"nik" text,
	"nik_valid" boolean DEFAULT false NOT NULL,
	"kk_number" text,
	"name" text,
	"name_norm" text,
	"sex" "sex",
	"birth_place" text,
	"birth_date" date,
	"relationship" "relationship",
	"marital_status" "marital_status",
	"presence" "presence",
	"disability" boolean,
	"chronic_illness" boolean,
	"ppks" "ppks_category"[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_id_shape" CHECK (char_length("persons"."id") BETWEEN 1 AND 64),
	CONSTRAINT "persons_text_lengths" CHECK (char_length("persons"."nik") <= 32 AND char_length("persons"."kk_number") <= 32
      AND char_length("persons"."name") <= 200 AND char_length("persons"."birth_place") <= 100)
);
--> statement-breakpoint
CREATE TABLE "enrolments" (
	"id" text PRIMARY KEY NOT NULL,
	"program_code" text NOT NULL,
	"status" "enrolment_status" NOT NULL,
	"start_date" date,
	"end_date" date,
	"amount" bigint,
	"village_code" text COLLATE "C" NOT NULL,
	"regency_code" text COLLATE "C" GENERATED ALWAYS AS (substr(village_code, 1, 5)) STORED NOT NULL,
	"nik" text,
	"nik_valid" boolean DEFAULT false NOT NULL,
	"kk_number" text,
	"name" text,
	"name_norm" text,
	"birth_date" date,
	"person_id" text,
	"household_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enrolments_id_shape" CHECK (char_length("enrolments"."id") BETWEEN 1 AND 64),
	CONSTRAINT "enrolments_amount_not_negative" CHECK ("enrolments"."amount" >= 0),
	CONSTRAINT "enrolments_dates_ordered" CHECK ("enrolments"."end_date" >= "enrolments"."start_date"),
	CONSTRAINT "enrolments_text_lengths" CHECK (char_length("enrolments"."nik") <= 32 AND char_length("enrolments"."kk_number") <= 32
      AND char_length("enrolments"."name") <= 200)
);
--> statement-breakpoint
CREATE TABLE "civil_registry" (
	"nik" text PRIMARY KEY NOT NULL,
	"kk_number" text,
	"name" text NOT NULL,
	"name_norm" text NOT NULL,
	"sex" "sex",
	"birth_place" text,
	"birth_date" date,
	"village_code" text COLLATE "C" NOT NULL,
	"regency_code" text COLLATE "C" GENERATED ALWAYS AS (substr(village_code, 1, 5)) STORED NOT NULL,
	"death_date" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "civil_registry_nik_shape" CHECK ("civil_registry"."nik" ~ '^[0-9]{16}$'),
	CONSTRAINT "civil_registry_text_lengths" CHECK (char_length("civil_registry"."kk_number") <= 32 AND char_length("civil_registry"."name") <= 200
      AND char_length("civil_registry"."birth_place") <= 100)
);
--> statement-breakpoint
CREATE TABLE "referral_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "referral_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"referral_id" text NOT NULL,
	"regency_code" text COLLATE "C" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_status" "referral_status",
	"to_status" "referral_status" NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"referred_to" text,
	CONSTRAINT "referral_events_note_length" CHECK (char_length("referral_events"."note") <= 10000)
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"village_code" text COLLATE "C" NOT NULL,
	"regency_code" text COLLATE "C" GENERATED ALWAYS AS (substr(village_code, 1, 5)) STORED NOT NULL,
	"category" "referral_category" NOT NULL,
	"status" "referral_status" DEFAULT 'REGISTERED' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"complainant_name" text NOT NULL,
	"name_norm" text,
	"nik" text,
	"description" text NOT NULL,
	"referred_to" text,
	"in_dtks" boolean DEFAULT false NOT NULL,
	"person_id" text,
	"household_id" text,
	"registered_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_id_shape" CHECK (char_length("referrals"."id") BETWEEN 1 AND 64),
	CONSTRAINT "referrals_version_positive" CHECK ("referrals"."version" >= 1),
	CONSTRAINT "referrals_referred_has_agency" CHECK ("referrals"."status" <> 'REFERRED' OR "referrals"."referred_to" IS NOT NULL),
	CONSTRAINT "referrals_text_lengths" CHECK (char_length("referrals"."complainant_name") BETWEEN 1 AND 200
      AND char_length("referrals"."description") BETWEEN 1 AND 10000 AND char_length("referrals"."nik") <= 32
      AND char_length("referrals"."referred_to") <= 100)
);
--> statement-breakpoint
CREATE TABLE "duplicate_candidate_enrolments" (
	"candidate_id" bigint NOT NULL,
	"enrolment_id" text NOT NULL,
	CONSTRAINT "duplicate_candidate_enrolments_pkey" PRIMARY KEY("candidate_id","enrolment_id")
);
--> statement-breakpoint
CREATE TABLE "duplicate_candidates" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duplicate_candidates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "duplicate_kind" NOT NULL,
	"regency_code" text COLLATE "C" NOT NULL,
	"program_codes" text[] NOT NULL,
	"fingerprint" text NOT NULL,
	"score" real NOT NULL,
	"evidence" text[] DEFAULT '{}' NOT NULL,
	"enrolments_signature" text NOT NULL,
	"status" "review_status" DEFAULT 'OPEN' NOT NULL,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"review_note" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_candidates_fingerprint_key" UNIQUE("fingerprint"),
	CONSTRAINT "duplicate_candidates_score_range" CHECK ("duplicate_candidates"."score" >= 0 AND "duplicate_candidates"."score" <= 1)
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"role" "role" NOT NULL,
	"action" "audit_action" NOT NULL,
	"operation" text,
	"subject_type" text,
	"subject_id" text,
	"fields" text[] DEFAULT '{}' NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "import_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "import_kind" NOT NULL,
	"status" "import_status" DEFAULT 'RUNNING' NOT NULL,
	"source" text,
	"actor" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"received" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"failure" text
);
--> statement-breakpoint
CREATE TABLE "import_errors" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_errors_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"field" text,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"regions" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_keys_name_key" UNIQUE("name"),
	CONSTRAINT "api_keys_key_hash_key" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_regions_not_empty" CHECK (cardinality("api_keys"."regions") >= 1),
	CONSTRAINT "api_keys_name_length" CHECK (char_length("api_keys"."name") BETWEEN 1 AND 100)
);
--> statement-breakpoint
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_code_regions_code_fk" FOREIGN KEY ("parent_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_exclusions" ADD CONSTRAINT "program_exclusions_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "program_exclusions" ADD CONSTRAINT "program_exclusions_excluded_code_programs_code_fk" FOREIGN KEY ("excluded_code") REFERENCES "public"."programs"("code") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_village_code_regions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_household_fk" FOREIGN KEY ("household_id","village_code") REFERENCES "public"."households"("id","village_code") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_program_code_programs_code_fk" FOREIGN KEY ("program_code") REFERENCES "public"."programs"("code") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_village_code_regions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "civil_registry" ADD CONSTRAINT "civil_registry_village_code_regions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_village_code_regions_code_fk" FOREIGN KEY ("village_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidate_enrolments" ADD CONSTRAINT "duplicate_candidate_enrolments_candidate_id_duplicate_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."duplicate_candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidate_enrolments" ADD CONSTRAINT "duplicate_candidate_enrolments_enrolment_id_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."enrolments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "regions_parent_code_idx" ON "regions" USING btree ("parent_code","code");--> statement-breakpoint
CREATE INDEX "regions_level_code_idx" ON "regions" USING btree ("level","code");--> statement-breakpoint
CREATE INDEX "program_exclusions_excluded_idx" ON "program_exclusions" USING btree ("excluded_code");--> statement-breakpoint
CREATE INDEX "households_regency_id_idx" ON "households" USING btree ("regency_code","id");--> statement-breakpoint
CREATE INDEX "households_village_id_idx" ON "households" USING btree ("village_code","id");--> statement-breakpoint
CREATE INDEX "households_regency_desil_idx" ON "households" USING btree ("regency_code","desil");--> statement-breakpoint
CREATE INDEX "persons_household_idx" ON "persons" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "persons_regency_id_idx" ON "persons" USING btree ("regency_code","id");--> statement-breakpoint
CREATE INDEX "persons_village_id_idx" ON "persons" USING btree ("village_code","id");--> statement-breakpoint
CREATE INDEX "persons_nik_idx" ON "persons" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "persons_kk_number_idx" ON "persons" USING btree ("kk_number");--> statement-breakpoint
CREATE INDEX "persons_regency_birth_date_idx" ON "persons" USING btree ("regency_code","birth_date");--> statement-breakpoint
CREATE INDEX "persons_name_norm_trgm_idx" ON "persons" USING gin ("name_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "enrolments_regency_program_status_idx" ON "enrolments" USING btree ("regency_code","program_code","status","id");--> statement-breakpoint
CREATE INDEX "enrolments_regency_id_idx" ON "enrolments" USING btree ("regency_code","id");--> statement-breakpoint
CREATE INDEX "enrolments_village_id_idx" ON "enrolments" USING btree ("village_code","id");--> statement-breakpoint
CREATE INDEX "enrolments_program_id_idx" ON "enrolments" USING btree ("program_code","id");--> statement-breakpoint
CREATE INDEX "enrolments_nik_idx" ON "enrolments" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "enrolments_kk_number_idx" ON "enrolments" USING btree ("kk_number");--> statement-breakpoint
CREATE INDEX "enrolments_person_idx" ON "enrolments" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "enrolments_household_idx" ON "enrolments" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "enrolments_name_norm_trgm_idx" ON "enrolments" USING gin ("name_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "civil_registry_regency_idx" ON "civil_registry" USING btree ("regency_code");--> statement-breakpoint
CREATE INDEX "civil_registry_kk_number_idx" ON "civil_registry" USING btree ("kk_number");--> statement-breakpoint
CREATE INDEX "referral_events_referral_idx" ON "referral_events" USING btree ("referral_id","at","id");--> statement-breakpoint
CREATE INDEX "referrals_regency_registered_idx" ON "referrals" USING btree ("regency_code","registered_at","id");--> statement-breakpoint
CREATE INDEX "referrals_village_idx" ON "referrals" USING btree ("village_code","id");--> statement-breakpoint
CREATE INDEX "referrals_regency_status_idx" ON "referrals" USING btree ("regency_code","status");--> statement-breakpoint
CREATE INDEX "referrals_nik_idx" ON "referrals" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "referrals_person_idx" ON "referrals" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "referrals_household_idx" ON "referrals" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "duplicate_candidate_enrolments_enrolment_idx" ON "duplicate_candidate_enrolments" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_regency_idx" ON "duplicate_candidates" USING btree ("regency_code","kind","status","id");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_programs_idx" ON "duplicate_candidates" USING gin ("program_codes");--> statement-breakpoint
CREATE INDEX "audit_entries_at_idx" ON "audit_entries" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "audit_entries_actor_at_idx" ON "audit_entries" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "audit_entries_subject_idx" ON "audit_entries" USING btree ("subject_id","at");--> statement-breakpoint
CREATE INDEX "import_batches_started_idx" ON "import_batches" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "import_errors_batch_row_idx" ON "import_errors" USING btree ("batch_id","row");