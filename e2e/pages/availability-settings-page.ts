import { expect, type Locator, type Page } from '@playwright/test';

/** The design's "Weekly Schedule Interface" (Availability Settings). */
export class AvailabilitySettingsPage {
  constructor(private readonly page: Page) {}

  async goto(practitionerId?: number) {
    await this.page.goto(`/settings/availability${practitionerId ? `?practitioner=${practitionerId}` : ''}`);
    await expect(this.page.getByRole('heading', { name: /Default Working Hours/ })).toBeVisible();
  }

  day(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  async intervals(day: string): Promise<string[]> {
    const items = this.day(day).getByRole('listitem');
    return (await items.allInnerTexts())
      .map((t) =>
        t
          .replace(/^•\s*/, '')
          .replace(/\s*Remove$/, '')
          .trim(),
      )
      .filter((t) => /\d/.test(t));
  }

  async addInterval(day: string, start: string, end: string) {
    await this.day(day)
      .getByRole('button', { name: `Add interval to ${day}` })
      .click();
    const picker = this.day(day).getByRole('group', { name: `Add interval to ${day}` });
    await picker.getByLabel('Start time').fill(start);
    await picker.getByLabel('End time').fill(end);
    await picker.getByRole('button', { name: 'Add', exact: true }).click();
  }

  async removeInterval(day: string, start: string, end: string) {
    await this.day(day)
      .getByRole('button', { name: `Remove ${start} - ${end} on ${day}` })
      .click();
  }

  async copyDay(from: string, to: string[]) {
    await this.day(from)
      .getByRole('button', { name: `Copy ${from} to other days` })
      .click();
    for (const d of to) await this.day(from).getByRole('checkbox', { name: d }).check();
    await this.day(from).getByRole('button', { name: 'Copy', exact: true }).click();
  }

  status(): Locator {
    return this.page.getByRole('status').filter({ hasText: /sav/i });
  }

  async expectSaved() {
    await expect(this.page.getByRole('status').filter({ hasText: 'All changes saved' })).toBeVisible();
  }

  warningDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Some appointments will be outside your new working hours' });
  }

  outsideHoursSection(): Locator {
    return this.page.getByRole('region', { name: 'Appointments outside hours' });
  }

  /** The outside-hours list's rows of one date (a collapsible group per date): "10:00-11:00 · 王先生". */
  outsideHoursRows(date: string, text: string): Locator {
    return this.outsideHoursSection()
      .locator('details')
      .filter({ has: this.page.locator('summary', { hasText: date }) })
      .locator('li')
      .filter({ hasText: text });
  }
}
