ALTER TABLE "clinics" ADD COLUMN "cache_version" bigint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limit_buckets" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limit_buckets" DROP CONSTRAINT "rate_limit_buckets_bucket_window_start_pk";--> statement-breakpoint
ALTER TABLE "rate_limit_buckets" ADD CONSTRAINT "rate_limit_buckets_bucket_window_start_shard_pk" PRIMARY KEY("bucket","window_start","shard");--> statement-breakpoint
-- Rate-limit counts need no durability: an unlogged table's commits do not wait for a WAL flush
-- (a crash forgets the current minute's counts, which is harmless). PostgreSQL, Neon and PGlite
-- all accept it.
ALTER TABLE "rate_limit_buckets" SET UNLOGGED;--> statement-breakpoint
-- clinics.cache_version moves on every change of what servers cache per clinic (settings,
-- appointment types, practitioners), whoever makes it: the app, an import, hand-written SQL. A
-- request reads it with its caller (one join) and reloads its cached copy when it moved, so every
-- server instance sees a change on its next request. It never goes back.
CREATE FUNCTION clinics_raise_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.cache_version := greatest(NEW.cache_version, OLD.cache_version + 1);
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER clinics_cache_version
BEFORE UPDATE ON clinics
FOR EACH ROW EXECUTE FUNCTION clinics_raise_cache_version();--> statement-breakpoint
CREATE FUNCTION clinic_rows_raise_cache_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE clinics SET cache_version = cache_version + 1 WHERE id = NEW.clinic_id;
  ELSE
    UPDATE clinics SET cache_version = cache_version + 1 WHERE id = OLD.clinic_id;
    IF TG_OP = 'UPDATE' THEN
      IF NEW.clinic_id IS DISTINCT FROM OLD.clinic_id THEN
        UPDATE clinics SET cache_version = cache_version + 1 WHERE id = NEW.clinic_id;
      END IF;
    END IF;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE FUNCTION clinics_raise_all_cache_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE clinics SET cache_version = cache_version + 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER users_clinic_cache_version
AFTER INSERT OR UPDATE OR DELETE ON users
FOR EACH ROW EXECUTE FUNCTION clinic_rows_raise_cache_version();--> statement-breakpoint
CREATE TRIGGER appointment_types_clinic_cache_version
AFTER INSERT OR UPDATE OR DELETE ON appointment_types
FOR EACH ROW EXECUTE FUNCTION clinic_rows_raise_cache_version();--> statement-breakpoint
CREATE TRIGGER users_truncate_clinic_cache_version
AFTER TRUNCATE ON users
FOR EACH STATEMENT EXECUTE FUNCTION clinics_raise_all_cache_versions();--> statement-breakpoint
CREATE TRIGGER appointment_types_truncate_clinic_cache_version
AFTER TRUNCATE ON appointment_types
FOR EACH STATEMENT EXECUTE FUNCTION clinics_raise_all_cache_versions();
