import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendarEvents, clinics, googleBusyTimes, users } from '@/lib/db/schema';
import { OUR_EVENT_PROPERTY } from '@/lib/integrations/google/event-body';
import { syncConnection } from '@/lib/integrations/google/sync';
import { readLegacyDatabase } from '@/lib/queries/legacy-source';
import { queueFuturePushes } from '@/lib/services/google-connection';
import { importLegacyClinic } from '@/lib/services/legacy-import';
import { useTestDatabase } from '../support/db';
import { useOldDatabase } from '../support/legacy-db';
import { connectPractitioner, drainOutbox, useFakeGoogle } from './support';
import { createClinic } from '@/lib/services/clinics';

// issue 17: an appointment imported from the old system keeps the Google event the old system made.
// Connecting Google afterwards recognises that event as ours (by its id): it is not counted as busy
// time, and our first write updates it rather than making a second event.

const DAY = '2031-09-03'; // a Wednesday, far ahead
const OLD = `
INSERT INTO users (id, email, full_name, role) VALUES (1, 'dr.lee@old.example', 'Dr. Lee', 'practitioner');
INSERT INTO patients (id, full_name, line_user_id) VALUES (1, '林小華', 'U-lee-1');
INSERT INTO appointment_types (id, name, duration_minutes) VALUES (1, 'Follow-up', 30);
INSERT INTO practitioner_availability (id, user_id, day_of_week, start_time, end_time, is_available) VALUES (1, 1, 3, '09:00', '12:00', true);
INSERT INTO appointments (id, user_id, patient_id, appointment_type_id, start_time, end_time, status, gcal_event_id)
  VALUES (1, 1, 1, 1, '${DAY}T02:00:00Z', '${DAY}T02:30:00Z', 'confirmed', 'oldsystem0001');
`;

describe('imported appointments and the Google events the old system made', () => {
  const t = useTestDatabase();
  const google = useFakeGoogle();
  const old = useOldDatabase(OLD);
  const email = 'dr.lee@old.example';

  beforeAll(async () => {
    await createClinic(t.db(), { name: 'Lee', slug: 'lee', timezone: 'Asia/Taipei', admin_email: 'owner@lee.example', admin_is_practitioner: false });
    await importLegacyClinic(t.db(), { clinicSlug: 'lee', source: await readLegacyDatabase(old.url()), dryRun: false });
  });

  it('are recognised by their Google id: no busy time, and our first write updates the same event', async () => {
    const [lee] = await t.db().select().from(users).where(eq(users.email, email));
    const [clinic] = await t.db().select().from(clinics).where(eq(clinics.slug, 'lee'));
    // The event the old system put in the practitioner's Google Calendar (10:00–10:30 in Taipei).
    google().addAccount(email);
    google().userCreate(email, {
      id: 'oldsystem0001',
      summary: '林小華',
      start: { dateTime: `${DAY}T10:00:00+08:00` },
      end: { dateTime: `${DAY}T10:30:00+08:00` },
    });
    const { connection } = await connectPractitioner(t.db(), google(), lee!, { countBusy: true });
    expect(await syncConnection(t.db(), connection.id)).toMatchObject({ state: 'synced', full: true });
    expect(await t.db().select().from(googleBusyTimes).where(eq(googleBusyTimes.userId, lee!.id))).toEqual([]);

    await queueFuturePushes(t.db(), { clinicId: clinic!.id, userId: lee!.id, timezone: 'Asia/Taipei', now: new Date() });
    await drainOutbox(t.db());
    const events = google().events(email);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: 'oldsystem0001', extendedProperties: { private: { [OUR_EVENT_PROPERTY]: expect.any(String) } } });
    const [ours] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.userId, lee!.id));
    expect(ours).toMatchObject({ gcalEventId: 'oldsystem0001', gcalSyncStatus: 'synced', date: DAY, startTime: '10:00:00' });

    // Moved in Google by the practitioner: our appointment follows.
    google().userMove(email, 'oldsystem0001', { start: { dateTime: `${DAY}T11:00:00+08:00` }, end: { dateTime: `${DAY}T11:30:00+08:00` } });
    await syncConnection(t.db(), connection.id);
    const [moved] = await t.db().select().from(calendarEvents).where(eq(calendarEvents.id, ours!.id));
    expect(moved).toMatchObject({ startTime: '11:00:00', endTime: '11:30:00' });
  });
});
