CREATE TABLE "rate_limit_buckets" (
	"bucket" varchar(100) NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_buckets_bucket_window_start_pk" PRIMARY KEY("bucket","window_start")
);
