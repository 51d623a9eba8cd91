CREATE TABLE "google_busy_times" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"gcal_event_id" varchar(1024) NOT NULL,
	"date" date NOT NULL,
	"start_time" time,
	"end_time" time,
	CONSTRAINT "check_google_busy_times" CHECK (("google_busy_times"."start_time" IS NULL) = ("google_busy_times"."end_time" IS NULL) AND ("google_busy_times"."start_time" IS NULL OR "google_busy_times"."start_time" < "google_busy_times"."end_time"))
);
--> statement-breakpoint
CREATE TABLE "google_channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"connection_id" integer NOT NULL,
	"channel_id" varchar(64) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"resource_id" varchar(255),
	"expires_at" timestamp with time zone NOT NULL,
	"stopped_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "google_connections" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"clinic_id" integer NOT NULL,
	"google_email" varchar(320),
	"calendar_id" varchar(255) DEFAULT 'primary' NOT NULL,
	"state" varchar(20) DEFAULT 'connected' NOT NULL,
	"broken_reason" text,
	"sync_token" text,
	"count_busy" boolean DEFAULT false NOT NULL,
	"last_synced_at" timestamp with time zone,
	"sync_lease_until" timestamp with time zone,
	"resync_requested" boolean DEFAULT false NOT NULL,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_google_connection_state" CHECK ("google_connections"."state" IN ('connected', 'broken', 'disconnected'))
);
--> statement-breakpoint
ALTER TABLE "outbox_jobs" DROP CONSTRAINT "check_outbox_kind";--> statement-breakpoint
ALTER TABLE "calendar_events" ADD COLUMN "gcal_etag" varchar(255);--> statement-breakpoint
ALTER TABLE "google_busy_times" ADD CONSTRAINT "google_busy_times_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "google_channels" ADD CONSTRAINT "google_channels_connection_id_google_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."google_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "google_connections" ADD CONSTRAINT "google_connections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "google_connections" ADD CONSTRAINT "google_connections_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_google_busy_user_event_date" ON "google_busy_times" USING btree ("user_id","gcal_event_id","date");--> statement-breakpoint
CREATE INDEX "idx_google_busy_user_date" ON "google_busy_times" USING btree ("user_id","date");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_google_channels_channel" ON "google_channels" USING btree ("channel_id");--> statement-breakpoint
CREATE INDEX "idx_google_channels_connection" ON "google_channels" USING btree ("connection_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_google_connections_user" ON "google_connections" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "outbox_jobs" ADD CONSTRAINT "check_outbox_kind" CHECK ("outbox_jobs"."kind" IN ('line.push', 'google.upsert_event', 'google.delete_event', 'google.connect', 'google.disconnect'));--> statement-breakpoint
-- Members who already granted Calendar access at sign-in are connected; the channel-renewal cron
-- opens their watch channels and their first sync pushes their events.
INSERT INTO google_connections (user_id, clinic_id)
SELECT DISTINCT a.user_id, u.clinic_id FROM accounts a JOIN users u ON u.id = a.user_id
WHERE a.provider = 'google' AND a.refresh_token IS NOT NULL
ON CONFLICT DO NOTHING;
