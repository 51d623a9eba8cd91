// What `npm run bench` and `npm run bench:profile` both load: the signed-in session, the served app's
// settings, the paths each read rotates through and the free slots bookings take.
import { encode } from '@auth/core/jwt';
import { addDays, addMonths } from '../lib/time/dates';
import { config } from './config';
import { DATASET, newAgentKey, type Dataset } from './dataset';
import { getJson } from './http';
import { rotation, type Scenario } from './load';

/** A fresh Auth.js secret and the session cookie of the data set's viewer under it. */
export async function benchSession(ds: Dataset): Promise<{ authSecret: string; cookie: string }> {
  const authSecret = newAgentKey().slice(4);
  const cookie = `authjs.session-token=${await encode({
    token: { sub: String(ds.viewerId), uid: ds.viewerId, clinicId: ds.clinicId, role: 'practitioner' },
    secret: authSecret,
    salt: 'authjs.session-token',
  })}`;
  return { authSecret, cookie };
}

/** The environment of a served bench app on one database. */
export function serverEnv(url: string, authSecret: string): Record<string, string> {
  return {
    DATABASE_URL: url,
    AUTH_SECRET: authSecret,
    AUTH_TRUST_HOST: 'true',
    AGENT_RATE_LIMIT_PER_MINUTE: '1000000000',
    // No outside service: without a token a LINE job fails at once, without sending anything.
    LINE_CHANNEL_ACCESS_TOKEN: '',
    DATABASE_POOL_MAX: String(config.poolMax),
  };
}

/** The paths every read rotates through: dates, months and practitioners. */
export function readPaths(ds: Dataset, today: string) {
  const ids = ds.practitionerIds;
  const [t30] = ds.typeIds as [number];
  const typeOf = (k: number) => ds.typeIds[k % ds.typeIds.length];
  const futureDates = Array.from({ length: 28 }, (_, i) => addDays(today, i + 1));
  const months = Array.from({ length: 24 }, (_, i) => addMonths(today.slice(0, 7), i - 21));
  const pick = (n: number, f: (k: number) => string) => Array.from({ length: n }, (_, k) => f(k));
  return {
    clinic: futureDates.map((d, i) => `/api/clinic/availability/slots?date=${d}&appointment_type_id=${typeOf(i)}`),
    range: ids.map((id, k) => {
      const from = addDays(today, k % 28);
      return `/api/clinic/practitioners/${id}/availability/slots?from=${from}&to=${addDays(from, 30)}&appointment_type_id=${typeOf(k)}`;
    }),
    oneDay: ids.map((id, k) => `/api/clinic/practitioners/${id}/availability/slots?date=${futureDates[k % 28]}&appointment_type_id=${t30}`),
    day: pick(100, (k) => `/api/clinic/practitioners/${ids[k % ids.length]}/availability/calendar?date=${addDays(today, ((k * 37) % 400) - 300)}`),
    month: pick(100, (k) => `/api/clinic/practitioners/${ids[k % ids.length]}/availability/calendar?month=${months[(k * 7) % months.length]}`),
    page: pick(100, (k) => `/calendar?practitioner=${ids[k % ids.length]}&month=${months[(k * 7) % months.length]}`),
  };
}

/**
 * Free starts of the most common type from the slots API, far enough apart that no two bookings
 * conflict (the later one starts at least max(buffer before, buffer after) after the earlier one ends),
 * interleaved across practitioners so that concurrent requests rarely wait on one calendar's lock.
 */
export async function freeSlots(origin: string, headers: Record<string, string>, ds: Dataset, today: string) {
  const types = await getJson<Array<{ id: number; duration_minutes: number; buffer_before_minutes: number; buffer_after_minutes: number }>>(
    `${origin}/api/clinic/appointment-types`,
    headers,
  );
  const type = types.find((t) => t.id === ds.typeIds[0])!;
  const gap = Math.max(type.buffer_before_minutes, type.buffer_after_minutes);
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const perPractitioner: Array<Array<{ practitioner_id: number; date: string; start_time: string }>> = [];
  for (const id of ds.practitionerIds) {
    const mine: Array<{ practitioner_id: number; date: string; start_time: string }> = [];
    for (let from = addDays(today, 3); from < addDays(today, DATASET.futureDays); from = addDays(from, 31)) {
      const to = addDays(from, 30) < addDays(today, DATASET.futureDays - 1) ? addDays(from, 30) : addDays(today, DATASET.futureDays - 1);
      const { days } = await getJson<{ days: Array<{ date: string; available_slots: Array<{ start_time: string; end_time: string }> }> }>(
        `${origin}/api/clinic/practitioners/${id}/availability/slots?from=${from}&to=${to}&appointment_type_id=${type.id}`,
        headers,
      );
      for (const day of days) {
        let freeFrom = -Infinity;
        for (const s of day.available_slots) {
          if (minutes(s.start_time) < freeFrom) continue;
          mine.push({ practitioner_id: id, date: day.date, start_time: s.start_time });
          freeFrom = minutes(s.end_time) + gap;
        }
      }
    }
    perPractitioner.push(mine);
  }
  const out: Array<{ practitioner_id: number; date: string; start_time: string }> = [];
  for (let i = 0; perPractitioner.some((list) => i < list.length); i++) {
    for (const list of perPractitioner) if (i < list.length) out.push(list[i]!);
  }
  return out;
}

/** A read scenario: GET, each request the next path of the list, round and round. */
export function readScenario(key: string, server: 'big' | 'small', headers: Record<string, string>, paths: string[]): Scenario {
  const next = rotation(paths);
  return { key, server, method: 'GET', headers, next: () => ({ path: next() }) };
}

/**
 * The booking scenario: each request a different slot of `slots` for the next patient; past the end of
 * the list the same slots come again and answer 409 (counted, never hidden). `sent()`: requests made.
 */
export function bookingScenario(
  slots: Array<{ practitioner_id: number; date: string; start_time: string }>,
  ds: Dataset,
  headers: Record<string, string>,
): Scenario & { sent: () => number } {
  const [t30] = ds.typeIds as [number];
  const patients = rotation(ds.patientIds);
  let sent = 0;
  return {
    key: 'booking',
    server: 'big',
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    next: () => {
      const slot = slots[sent++ % slots.length]!;
      return { path: '/api/clinic/appointments', body: JSON.stringify({ ...slot, patient_id: patients(), appointment_type_id: t30 }) };
    },
    sent: () => sent,
  };
}
