CREATE TABLE "legacy_import_map" (
	"clinic_id" integer NOT NULL,
	"table" varchar(40) NOT NULL,
	"old_id" integer NOT NULL,
	"new_id" integer NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legacy_import_map_clinic_id_table_old_id_pk" PRIMARY KEY("clinic_id","table","old_id"),
	CONSTRAINT "check_legacy_table" CHECK ("legacy_import_map"."table" IN ('users', 'patients', 'appointment_types', 'practitioner_availability', 'appointments'))
);
--> statement-breakpoint
ALTER TABLE "legacy_import_map" ADD CONSTRAINT "legacy_import_map_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;