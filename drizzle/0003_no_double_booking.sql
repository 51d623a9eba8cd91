ALTER TABLE "calendar_events" ADD COLUMN "appointment_status" varchar(50);--> statement-breakpoint
-- No two confirmed appointments of one practitioner overlap, whatever code path writes them
-- (booking, Google sync, reschedule, imports). The per-practitioner advisory lock still gives the
-- clean 409; this is the database's own guarantee behind it.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE FUNCTION calendar_events_copy_appointment_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE calendar_events SET appointment_status = NEW.status
  WHERE id = NEW.calendar_event_id AND appointment_status IS DISTINCT FROM NEW.status;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER appointments_status_to_calendar_events
AFTER INSERT OR UPDATE OF status, calendar_event_id ON appointments
FOR EACH ROW EXECUTE FUNCTION calendar_events_copy_appointment_status();--> statement-breakpoint
UPDATE calendar_events ce SET appointment_status = a.status FROM appointments a WHERE a.calendar_event_id = ce.id;--> statement-breakpoint
ALTER TABLE calendar_events ADD CONSTRAINT no_overlapping_confirmed_appointments
EXCLUDE USING gist (user_id WITH =, tsrange(date + start_time, date + end_time, '[)') WITH &&)
WHERE (appointment_status = 'confirmed');
