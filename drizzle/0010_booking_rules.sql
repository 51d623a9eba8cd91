ALTER TABLE "appointment_types" ADD COLUMN "booking_window_days" integer;--> statement-breakpoint
ALTER TABLE "appointment_types" ADD COLUMN "min_notice_minutes" integer;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "booking_window_days" integer;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "max_appointments_per_day" integer;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "max_upcoming_per_patient" integer;--> statement-breakpoint
ALTER TABLE "clinics" ADD COLUMN "cancellation_deadline_hours" integer;--> statement-breakpoint
ALTER TABLE "appointment_types" ADD CONSTRAINT "check_type_booking_rules_range" CHECK (("appointment_types"."booking_window_days" IS NULL OR "appointment_types"."booking_window_days" >= 0) AND ("appointment_types"."min_notice_minutes" IS NULL OR "appointment_types"."min_notice_minutes" >= 0));--> statement-breakpoint
ALTER TABLE "clinics" ADD CONSTRAINT "check_booking_rules_range" CHECK (("clinics"."booking_window_days" IS NULL OR "clinics"."booking_window_days" >= 0) AND ("clinics"."max_appointments_per_day" IS NULL OR "clinics"."max_appointments_per_day" > 0) AND ("clinics"."max_upcoming_per_patient" IS NULL OR "clinics"."max_upcoming_per_patient" > 0) AND ("clinics"."cancellation_deadline_hours" IS NULL OR "clinics"."cancellation_deadline_hours" >= 0));