CREATE TABLE "invitations" (
	"id" serial PRIMARY KEY NOT NULL,
	"clinic_id" integer NOT NULL,
	"email" varchar(320) NOT NULL,
	"name" varchar(200) NOT NULL,
	"role" varchar(20) DEFAULT 'practitioner' NOT NULL,
	"is_practitioner" boolean DEFAULT true NOT NULL,
	"invited_by_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" integer,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "check_invitation_role" CHECK ("invitations"."role" IN ('practitioner', 'admin')),
	CONSTRAINT "check_invitation_state" CHECK ("invitations"."accepted_at" IS NULL OR "invitations"."withdrawn_at" IS NULL)
);
--> statement-breakpoint
DROP INDEX "uq_appointment_types_clinic_name";--> statement-breakpoint
ALTER TABLE "appointment_types" ADD COLUMN "color" varchar(7);--> statement-breakpoint
ALTER TABLE "appointment_types" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "appointment_types" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "settings_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "line_channel_token_encrypted" text;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "line_channel_secret_encrypted" text;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "line_channel_token_hint" varchar(8);--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "line_channel_secret_hint" varchar(8);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "practitioner_id" integer;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "patient_id" integer;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_user_id_users_id_fk" FOREIGN KEY ("invited_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_user_id_users_id_fk" FOREIGN KEY ("accepted_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_invitations_pending_email" ON "invitations" USING btree (lower("email")) WHERE "invitations"."accepted_at" IS NULL AND "invitations"."withdrawn_at" IS NULL;--> statement-breakpoint
CREATE INDEX "idx_invitations_clinic" ON "invitations" USING btree ("clinic_id");--> statement-breakpoint
CREATE INDEX "idx_audit_log_clinic_practitioner" ON "audit_log" USING btree ("clinic_id","practitioner_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_audit_log_clinic_patient" ON "audit_log" USING btree ("clinic_id","patient_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_appointment_types_clinic_name" ON "appointment_types" USING btree ("clinic_id",lower("name")) WHERE "appointment_types"."archived_at" IS NULL;--> statement-breakpoint
ALTER TABLE "appointment_types" ADD CONSTRAINT "check_appointment_type_color" CHECK ("appointment_types"."color" IS NULL OR "appointment_types"."color" ~ '^#[0-9a-f]{6}$');--> statement-breakpoint
-- The activity filters read these columns; entries written before them name the ids in details.
UPDATE "audit_log" SET "practitioner_id" = ("details"->>'practitioner_id')::int WHERE "details"->>'practitioner_id' ~ '^[1-9][0-9]{0,8}$';--> statement-breakpoint
UPDATE "audit_log" SET "patient_id" = ("details"->>'patient_id')::int WHERE "details"->>'patient_id' ~ '^[1-9][0-9]{0,8}$';
