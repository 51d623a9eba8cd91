CREATE TABLE "outbox_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" bigint NOT NULL,
	"attempt" smallint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"outcome" varchar(20) NOT NULL,
	"error" text,
	"next_attempt_at" timestamp with time zone,
	CONSTRAINT "check_attempt_outcome" CHECK ("outbox_attempts"."outcome" IN ('delivered', 'already_delivered', 'retry', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "outbox_attempts" ADD CONSTRAINT "outbox_attempts_job_id_outbox_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."outbox_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_outbox_attempts_job" ON "outbox_attempts" USING btree ("job_id","attempt");