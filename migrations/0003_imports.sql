ALTER TABLE "import_batches" ADD COLUMN "inserted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "updated" integer DEFAULT 0 NOT NULL;