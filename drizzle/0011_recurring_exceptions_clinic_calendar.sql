CREATE TABLE "clinic_calendar_days" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"date" date NOT NULL,
	"kind" varchar(20) NOT NULL,
	"name" varchar(100) NOT NULL,
	"hours_of_weekday" integer,
	"source" varchar(20) DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_clinic_day_kind" CHECK ("clinic_calendar_days"."kind" IN ('closed', 'workday')),
	CONSTRAINT "check_clinic_day_source" CHECK ("clinic_calendar_days"."source" IN ('taiwan', 'import', 'manual')),
	CONSTRAINT "check_clinic_day_hours" CHECK (("clinic_calendar_days"."kind" = 'workday') = ("clinic_calendar_days"."hours_of_weekday" IS NOT NULL) AND ("clinic_calendar_days"."hours_of_weekday" IS NULL OR ("clinic_calendar_days"."hours_of_weekday" >= 0 AND "clinic_calendar_days"."hours_of_weekday" <= 6)))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "observes_clinic_calendar" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD COLUMN "rrule" text;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD COLUMN "exdates" date[] DEFAULT '{}'::date[] NOT NULL;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD COLUMN "series_until" date;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD COLUMN "recurring_parent_id" integer;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD COLUMN "original_date" date;--> statement-breakpoint
ALTER TABLE "clinic_calendar_days" ADD CONSTRAINT "clinic_calendar_days_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_clinic_calendar_days_date" ON "clinic_calendar_days" USING btree ("clinic_id","date");--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "availability_exceptions_recurring_parent_id_availability_exceptions_id_fk" FOREIGN KEY ("recurring_parent_id") REFERENCES "public"."availability_exceptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_availability_exceptions_series" ON "availability_exceptions" USING btree ("calendar_event_id") WHERE "availability_exceptions"."rrule" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_availability_exceptions_parent" ON "availability_exceptions" USING btree ("recurring_parent_id");--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "check_series_fields" CHECK ("availability_exceptions"."rrule" IS NOT NULL OR ("availability_exceptions"."series_until" IS NULL AND cardinality("availability_exceptions"."exdates") = 0));--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "check_occurrence_fields" CHECK (("availability_exceptions"."recurring_parent_id" IS NULL) = ("availability_exceptions"."original_date" IS NULL) AND ("availability_exceptions"."recurring_parent_id" IS NULL OR "availability_exceptions"."rrule" IS NULL));