import { expect, test } from '@playwright/test';
import { addDays } from './pages/calendar-page';
import { SignInPage } from './pages/sign-in-page';
import { weekdayAfter } from './support/db';

// The whole loop of the Google sync, with the app on PORT talking to the fake Google of
// test/fakes/google-oidc.ts (OpenID issuer, token endpoint and Calendar v3 in one process) through
// AUTH_GOOGLE_ISSUER, GOOGLE_OAUTH_TOKEN_URL and GOOGLE_API_ROOT_URL, and to the fake LINE.
const GOOGLE = process.env.E2E_GOOGLE_URL!;
const LINE = process.env.E2E_LINE_URL!;
const LIN = 'lin@clinic.test';
const LINE_USER = 'U0123456789abcdef0123456789abcd01';

interface FakeEvent {
  id: string;
  status: string;
  summary?: string;
  extendedProperties?: { private?: Record<string, string> };
}
const googleEvents = async (): Promise<FakeEvent[]> =>
  ((await (await fetch(`${GOOGLE}/__calendar/events?calendarId=${encodeURIComponent(LIN)}&all=1`)).json()) as { items: FakeEvent[] }).items;
const linePushesTo = async (to: string) =>
  ((await (await fetch(`${LINE}/__pushes`)).json()) as { pushes: Array<{ body: { to: string; messages: Array<{ text: string }> } }> }).pushes.filter(
    (p) => p.body.to === to,
  );

test('Dr. Lin signs in with Google: connected in settings, a booking appears in Google, deleting it there cancels it and tells the patient once', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await fetch(`${GOOGLE}/__control`, { method: 'POST', body: JSON.stringify({ reset: true, email: LIN }) });
  await new SignInPage(page).goto();
  await page.getByRole('button', { name: 'Sign in with Google' }).click();
  await expect(page).toHaveURL(/\/calendar/);

  // Connected with no second step: the settings say so once the connect job ran (right after sign-in).
  await expect(async () => {
    await page.goto('/settings/availability');
    const section = page.getByRole('region', { name: 'Google Calendar' });
    await expect(section.getByText('Connected', { exact: true })).toBeVisible({ timeout: 1000 });
    await expect(section.getByText(LIN)).toBeVisible({ timeout: 1000 });
    await expect(section.getByText('Not open yet')).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('google-settings.png'), fullPage: true });

  // A booking in Dr. Lin's calendar (by Dr. Lin, through the API) becomes a Google event.
  const me = (await (await page.request.get('/api/auth/session')).json()) as { user: { id: string } };
  const linId = Number(me.user.id);
  const type = (await (await page.request.get('/api/clinic/appointment-types')).json())[0] as { id: number };
  const patient = (await (await page.request.post('/api/clinic/patients', { data: { full_name: '林小姐', line_user_id: LINE_USER } })).json()) as {
    id: number;
  };
  // The first free slot of Dr. Lin seven weeks out (a week of its own for this spec).
  const from = weekdayAfter(1, 49);
  const range = (await (
    await page.request.get(`/api/clinic/practitioners/${linId}/availability/slots?from=${from}&to=${addDays(from, 6)}&appointment_type_id=${type.id}`)
  ).json()) as { days: Array<{ date: string; available_slots: Array<{ start_time: string }> }> };
  const free = range.days.find((d) => d.available_slots.length > 0)!;
  const date = free.date;
  const booked = await page.request.post('/api/clinic/appointments', {
    data: { practitioner_id: linId, patient_id: patient.id, appointment_type_id: type.id, date, start_time: free.available_slots[0]!.start_time },
  });
  expect(booked.status()).toBe(201);
  const { calendar_event_id: id } = (await booked.json()) as { calendar_event_id: number };
  let ours: FakeEvent | undefined;
  await expect(async () => {
    ours = (await googleEvents()).find((e) => e.extendedProperties?.private?.clinicBotEventId === String(id));
    expect(ours?.status).toBe('confirmed');
  }).toPass({ timeout: 20_000 });
  expect(ours!.summary).toContain('林小姐');

  // The practitioner deletes it in Google Calendar: Google notifies our webhook, the sync cancels it.
  const before = (await linePushesTo(LINE_USER)).length;
  const deleted = await fetch(`${GOOGLE}/__calendar/user`, {
    method: 'POST',
    body: JSON.stringify({ action: 'delete', calendarId: LIN, eventId: ours!.id }),
  });
  expect(deleted.ok).toBe(true);
  await fetch(`${GOOGLE}/__calendar/notify`, { method: 'POST', body: JSON.stringify({ calendarId: LIN }) });
  await expect(async () => {
    const day = (await (await page.request.get(`/api/clinic/practitioners/${linId}/availability/calendar?date=${date}`)).json()) as {
      events: Array<{ calendar_event_id: number }>;
    };
    expect(day.events.map((e) => e.calendar_event_id)).not.toContain(id);
  }).toPass({ timeout: 20_000 });
  await expect(async () => expect((await linePushesTo(LINE_USER)).length - before).toBe(1)).toPass({ timeout: 20_000 });
  const [push] = (await linePushesTo(LINE_USER)).slice(before);
  expect(push!.body.messages[0]!.text).toContain('預約取消通知');

  // The calendar page shows it gone too.
  await page.goto(`/calendar?practitioner=${linId}&date=${date}`);
  await expect(page.getByText('林小姐')).toHaveCount(0);
  // "Count my other Google events as busy": Dr. Lin's own Google event takes its time, shown without its title.
  await page.goto('/settings/availability');
  await page.getByRole('checkbox', { name: /Count my other Google events as busy/ }).check();
  await expect(page.getByRole('checkbox', { name: /Count my other Google events as busy/ })).toBeChecked();
  await fetch(`${GOOGLE}/__calendar/user`, {
    method: 'POST',
    body: JSON.stringify({
      action: 'create',
      calendarId: LIN,
      event: {
        summary: 'Dentist (private)',
        start: { dateTime: `${date}T${free.available_slots.at(-1)!.start_time}:00+08:00` },
        end: { dateTime: `${date}T23:00:00+08:00` },
      },
    }),
  });
  await fetch(`${GOOGLE}/__calendar/notify`, { method: 'POST', body: JSON.stringify({ calendarId: LIN }) });
  await expect(async () => {
    await page.goto(`/calendar?practitioner=${linId}&date=${date}`);
    await expect(page.getByText('Busy (Google)').first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText('Dentist')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('busy-google.png') });

  // Google repeating the notification changes nothing and sends nothing more.
  await fetch(`${GOOGLE}/__calendar/notify`, { method: 'POST', body: JSON.stringify({ calendarId: LIN }) });
  await page.waitForTimeout(1500);
  expect((await linePushesTo(LINE_USER)).length - before).toBe(1);
});
