CREATE TABLE "appointment_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"name" varchar(200) NOT NULL,
	"duration_minutes" integer NOT NULL,
	"buffer_before_minutes" integer DEFAULT 0 NOT NULL,
	"buffer_after_minutes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_duration_range" CHECK ("appointment_types"."duration_minutes" > 0 AND "appointment_types"."duration_minutes" <= 1440),
	CONSTRAINT "check_buffers_range" CHECK ("appointment_types"."buffer_before_minutes" >= 0 AND "appointment_types"."buffer_after_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(200) NOT NULL,
	"slug" varchar(64) NOT NULL,
	"timezone" varchar(64) DEFAULT 'Asia/Taipei' NOT NULL,
	"slot_step_minutes" integer,
	"min_notice_minutes" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinics_slug_unique" UNIQUE("slug"),
	CONSTRAINT "check_slot_step_range" CHECK ("clinics"."slot_step_minutes" IS NULL OR ("clinics"."slot_step_minutes" > 0 AND "clinics"."slot_step_minutes" <= 1440)),
	CONSTRAINT "check_min_notice_range" CHECK ("clinics"."min_notice_minutes" >= 0)
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"full_name" varchar(200) NOT NULL,
	"phone_number" varchar(50),
	"line_user_id" varchar(64),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" varchar(200) NOT NULL,
	"role" varchar(20) DEFAULT 'practitioner' NOT NULL,
	"is_practitioner" boolean DEFAULT true NOT NULL,
	"image" varchar(2048),
	"email_verified" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_user_role" CHECK ("users"."role" IN ('practitioner', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"calendar_event_id" integer PRIMARY KEY NOT NULL,
	"patient_id" integer NOT NULL,
	"appointment_type_id" integer NOT NULL,
	"status" varchar(50) NOT NULL,
	CONSTRAINT "check_appointment_status" CHECK ("appointments"."status" IN ('confirmed', 'canceled_by_patient', 'canceled_by_clinic'))
);
--> statement-breakpoint
CREATE TABLE "availability_exceptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"calendar_event_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"event_type" varchar(50) NOT NULL,
	"date" date NOT NULL,
	"start_time" time,
	"end_time" time,
	"gcal_event_id" varchar(255),
	"gcal_watch_resource_id" varchar(255),
	"gcal_sync_status" varchar(20),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_events_gcalEventId_unique" UNIQUE("gcal_event_id"),
	CONSTRAINT "check_valid_time_range" CHECK ("calendar_events"."start_time" IS NULL OR "calendar_events"."end_time" IS NULL OR "calendar_events"."start_time" < "calendar_events"."end_time"),
	CONSTRAINT "check_valid_event_type" CHECK ("calendar_events"."event_type" IN ('appointment', 'availability_exception')),
	CONSTRAINT "check_times_both_or_neither" CHECK (("calendar_events"."start_time" IS NULL) = ("calendar_events"."end_time" IS NULL)),
	CONSTRAINT "check_appointment_has_times" CHECK ("calendar_events"."event_type" <> 'appointment' OR "calendar_events"."start_time" IS NOT NULL),
	CONSTRAINT "check_gcal_sync_status" CHECK ("calendar_events"."gcal_sync_status" IS NULL OR "calendar_events"."gcal_sync_status" IN ('pending', 'synced', 'sync_failed'))
);
--> statement-breakpoint
CREATE TABLE "practitioner_availability" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"day_of_week" integer NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_valid_time_range" CHECK ("practitioner_availability"."start_time" < "practitioner_availability"."end_time"),
	CONSTRAINT "check_day_of_week_range" CHECK ("practitioner_availability"."day_of_week" >= 0 AND "practitioner_availability"."day_of_week" <= 6)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"user_id" integer NOT NULL,
	"type" varchar(32) NOT NULL,
	"provider" varchar(64) NOT NULL,
	"provider_account_id" varchar(255) NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" varchar(32),
	"scope" text,
	"id_token" text,
	"session_state" varchar(255),
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"name" varchar(100) NOT NULL,
	"key_hash" varchar(64) NOT NULL,
	"key_prefix" varchar(16) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "agent_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"actor_type" varchar(20) NOT NULL,
	"actor_user_id" integer,
	"actor_agent_key_id" integer,
	"action" varchar(100) NOT NULL,
	"entity_type" varchar(50) NOT NULL,
	"entity_id" varchar(64),
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_audit_actor_type" CHECK ("audit_log"."actor_type" IN ('user', 'agent', 'google', 'system'))
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"caller" varchar(64) NOT NULL,
	"key" varchar(255) NOT NULL,
	"request_hash" varchar(64) NOT NULL,
	"response_status" smallint NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"kind" varchar(50) NOT NULL,
	"payload" jsonb NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"retry_key" uuid DEFAULT gen_random_uuid() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_outbox_kind" CHECK ("outbox_jobs"."kind" IN ('line.push', 'google.upsert_event', 'google.delete_event')),
	CONSTRAINT "check_outbox_status" CHECK ("outbox_jobs"."status" IN ('pending', 'processing', 'delivered', 'failed')),
	CONSTRAINT "check_outbox_attempts" CHECK ("outbox_jobs"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "appointment_types" ADD CONSTRAINT "appointment_types_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_calendar_event_id_calendar_events_id_fk" FOREIGN KEY ("calendar_event_id") REFERENCES "public"."calendar_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_appointment_type_id_appointment_types_id_fk" FOREIGN KEY ("appointment_type_id") REFERENCES "public"."appointment_types"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "availability_exceptions" ADD CONSTRAINT "availability_exceptions_calendar_event_id_calendar_events_id_fk" FOREIGN KEY ("calendar_event_id") REFERENCES "public"."calendar_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_events" ADD CONSTRAINT "calendar_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practitioner_availability" ADD CONSTRAINT "practitioner_availability_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_keys" ADD CONSTRAINT "agent_keys_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_agent_key_id_agent_keys_id_fk" FOREIGN KEY ("actor_agent_key_id") REFERENCES "public"."agent_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_jobs" ADD CONSTRAINT "outbox_jobs_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_appointment_types_clinic_name" ON "appointment_types" USING btree ("clinic_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_patients_clinic_line_user" ON "patients" USING btree ("clinic_id","line_user_id");--> statement-breakpoint
CREATE INDEX "idx_patients_clinic" ON "patients" USING btree ("clinic_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_users_email" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "idx_users_clinic" ON "users" USING btree ("clinic_id");--> statement-breakpoint
CREATE INDEX "idx_appointments_patient" ON "appointments" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_availability_exceptions_calendar_event" ON "availability_exceptions" USING btree ("calendar_event_id");--> statement-breakpoint
CREATE INDEX "idx_calendar_events_user_date" ON "calendar_events" USING btree ("user_id","date");--> statement-breakpoint
CREATE INDEX "idx_calendar_events_type" ON "calendar_events" USING btree ("event_type");--> statement-breakpoint
CREATE INDEX "idx_calendar_events_gcal_sync" ON "calendar_events" USING btree ("gcal_event_id");--> statement-breakpoint
CREATE INDEX "idx_calendar_events_user_date_type" ON "calendar_events" USING btree ("user_id","date","event_type");--> statement-breakpoint
CREATE INDEX "idx_practitioner_availability_user_day" ON "practitioner_availability" USING btree ("user_id","day_of_week");--> statement-breakpoint
CREATE INDEX "idx_practitioner_availability_user_day_time" ON "practitioner_availability" USING btree ("user_id","day_of_week","start_time");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_accounts_provider_account" ON "accounts" USING btree ("provider","provider_account_id");--> statement-breakpoint
CREATE INDEX "idx_accounts_user" ON "accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_agent_keys_clinic" ON "agent_keys" USING btree ("clinic_id");--> statement-breakpoint
CREATE INDEX "idx_audit_log_clinic_created" ON "audit_log" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_log_entity" ON "audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_idempotency_caller_key" ON "idempotency_keys" USING btree ("caller","key");--> statement-breakpoint
CREATE INDEX "idx_outbox_due" ON "outbox_jobs" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "idx_outbox_clinic_status" ON "outbox_jobs" USING btree ("clinic_id","status");