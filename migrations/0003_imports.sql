CREATE TABLE "import_batch_keys" (
	"batch_id" uuid NOT NULL,
	"key" text NOT NULL,
	"row" integer NOT NULL,
	CONSTRAINT "import_batch_keys_pkey" PRIMARY KEY("batch_id","key")
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "inserted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "updated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batch_keys" ADD CONSTRAINT "import_batch_keys_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE cascade ON UPDATE no action;