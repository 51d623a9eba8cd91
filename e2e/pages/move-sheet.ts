import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { withDb } from '../support/db';

const LINE = process.env.E2E_LINE_URL!;

/** The appointment sheet's Move step and the move confirmation (components/calendar/move-step.tsx, move-confirm.tsx). */
export class MoveSheet {
  constructor(
    private readonly page: Page,
    private readonly sheet: Locator,
  ) {}

  open = () => this.sheet.getByRole('button', { name: 'Move', exact: true }).click();
  nextDay = () => this.sheet.getByRole('button', { name: 'Next day' }).click();
  starts = () => this.sheet.getByRole('group', { name: 'Available starts' });
  start = (time: string) => this.starts().getByRole('button', { name: time, exact: true });

  async pick(time: string) {
    await expect(this.starts()).toHaveAttribute('aria-busy', 'false');
    await this.start(time).click();
  }

  confirm = () => this.sheet.getByRole('button', { name: 'Move', exact: true }).click();
}

/** The move confirmation a drag opens. */
export const moveDialog = (page: Page) => page.getByRole('dialog', { name: 'Move appointment' });

/** An appointment's row as the database has it. */
export async function appointmentRow(
  calendarEventId: number,
): Promise<{ date: string; start: string; end: string; practitioner: string; attendance: string | null; status: string }> {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `SELECT to_char(e.date, 'YYYY-MM-DD') AS date, to_char(e.start_time, 'HH24:MI') AS start, to_char(e.end_time, 'HH24:MI') AS end,
              u.email AS practitioner, a.attendance, a.status
         FROM calendar_events e JOIN appointments a ON a.calendar_event_id = e.id JOIN users u ON u.id = e.user_id
        WHERE e.id = $1`,
      [calendarEventId],
    );
    return rows[0];
  });
}

/** "2026-03-27" → "2026年3月27日", as LINE messages write dates. */
const zhDate = (date: string) => `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** The fake LINE server's change notices (預約時間變更通知) whose new time is this date and span. */
export async function changeNoticesTo(request: APIRequestContext, date: string, span: string): Promise<string[]> {
  const { pushes } = (await (await request.get(`${LINE}/__pushes`)).json()) as { pushes: Array<{ body: { messages: Array<{ text: string }> } }> };
  return pushes
    .map((p) => p.body.messages[0]?.text ?? '')
    .filter(
      (text) =>
        text.includes('預約時間變更通知') && text.split('\n').some((l) => l.includes('新時間') && l.includes(zhDate(date)) && l.includes(span)),
    );
}
