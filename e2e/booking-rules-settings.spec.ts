import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signInAs } from './support/auth';
import { withDb } from './support/db';

// Issue 16 item 3: an admin sets the clinic's booking rules on the settings page (empty = no limit),
// a bad value is named beside its box, and the agent's slots follow the booking window at once.
// Each project gets a clinic of its own; the dates are counted from the clinic's today.

test('an admin sets and clears the booking rules; the agent is offered no time beyond the window', async ({ page, playwright }, info) => {
  const tag = `${info.project.name}-${Date.now().toString(36)}`;
  const agentKey = `cbk_e2e_${randomBytes(24).toString('base64url')}`;
  const adminEmail = `rules-admin-${tag}@clinic.test`;
  const { practitionerId, typeId } = await withDb(async (db) => {
    const clinic = (
      await db.query<{ id: number }>(`INSERT INTO clinics (name, slug, timezone) VALUES ('Rules Clinic', $1, 'Asia/Taipei') RETURNING id`, [
        `rules-${tag}`,
      ])
    ).rows[0]!;
    await db.query(`INSERT INTO users (clinic_id, email, name, role, is_practitioner) VALUES ($1, $2, 'Rules Admin', 'admin', false)`, [
      clinic.id,
      adminEmail,
    ]);
    const dr = (
      await db.query<{ id: number }>(`INSERT INTO users (clinic_id, email, name) VALUES ($1, $2, '陳醫師') RETURNING id`, [
        clinic.id,
        `rules-dr-${tag}@clinic.test`,
      ])
    ).rows[0]!;
    for (const dow of [0, 1, 2, 3, 4, 5, 6]) {
      await db.query(`INSERT INTO practitioner_availability (user_id, day_of_week, start_time, end_time) VALUES ($1, $2, '09:00', '12:00')`, [
        dr.id,
        dow,
      ]);
    }
    const type = (
      await db.query<{ id: number }>(`INSERT INTO appointment_types (clinic_id, name, duration_minutes) VALUES ($1, '初診', 60) RETURNING id`, [
        clinic.id,
      ])
    ).rows[0]!;
    await db.query(`INSERT INTO agent_keys (clinic_id, name, key_hash, key_prefix) VALUES ($1, 'e2e agent', $2, $3)`, [
      clinic.id,
      createHash('sha256').update(agentKey).digest('hex'),
      agentKey.slice(0, 12),
    ]);
    return { practitionerId: dr.id, typeId: type.id };
  });
  const agent = await playwright.request.newContext({ baseURL: info.project.use.baseURL, extraHTTPHeaders: { authorization: `Bearer ${agentKey}` } });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date());
  const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const slotsOn = async (date: string) => {
    const res = await agent.get(`/api/clinic/practitioners/${practitionerId}/availability/slots?date=${date}&appointment_type_id=${typeId}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { available_slots: unknown[] }).available_slots.length;
  };

  await signInAs(page.request, adminEmail);
  await page.goto('/settings/clinic');
  await expect(page.getByRole('group', { name: 'Booking rules' })).toBeVisible();
  const window = page.getByLabel('Booking window (days ahead)');
  await expect(window).toHaveValue('');
  expect(await slotsOn(day(6))).toBeGreaterThan(0);

  // A value that is not a whole number is named beside its box; nothing is saved.
  await window.fill('abc');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Enter a whole number, or leave it empty for no limit.')).toBeVisible();

  await window.fill('5');
  await page.getByLabel('Cancellation deadline (hours before)').fill('24');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  const saved = await (await page.request.get('/api/clinic/admin/settings')).json();
  expect(saved).toMatchObject({
    booking_window_days: 5,
    cancellation_deadline_hours: 24,
    max_appointments_per_day: null,
    max_upcoming_per_patient: null,
  });
  expect(await slotsOn(day(5))).toBeGreaterThan(0);
  expect(await slotsOn(day(6))).toBe(0);
  await page.screenshot({ path: test.info().outputPath('booking-rules-en.png'), fullPage: true });

  // Emptied: no limit again.
  await page.reload();
  await expect(window).toHaveValue('5');
  await window.fill('');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  expect(await (await page.request.get('/api/clinic/admin/settings')).json()).toMatchObject({
    booking_window_days: null,
    cancellation_deadline_hours: 24,
  });
  expect(await slotsOn(day(6))).toBeGreaterThan(0);
  await agent.dispose();
});
