import { expect, type Locator, type Page } from '@playwright/test';

/** The booking sheet (components/calendar/booking-sheet.tsx), in English. */
export class BookingSheet {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByRole('dialog', { name: 'Book an appointment' });
  }

  async expectOpen() {
    await expect(this.root).toBeVisible();
  }

  /** "Unavailable": hands over to the add-unavailability sheet. */
  async switchToUnavailable() {
    await this.root.getByRole('button', { name: 'Unavailable', exact: true }).click();
  }

  async findPatient(text: string, name: string) {
    await this.root.getByLabel('Find the patient').fill(text);
    await this.root
      .getByRole('list', { name: 'Matching patients' })
      .getByRole('button', { name: new RegExp(`^${name}`) })
      .click();
    await expect(this.chosenPatient()).toHaveText(name);
  }

  async newPatient(v: { name: string; phone?: string; lineId?: string }) {
    await this.root.getByRole('button', { name: '+ New patient' }).click();
    await this.root.getByLabel('Name', { exact: true }).fill(v.name);
    if (v.phone) await this.root.getByLabel('Phone (optional)').fill(v.phone);
    if (v.lineId) await this.root.getByLabel('LINE ID (optional)').fill(v.lineId);
    await this.root.getByRole('button', { name: 'Add patient' }).click();
    await expect(this.chosenPatient()).toHaveText(v.name);
  }

  chosenPatient(): Locator {
    return this.root.getByTestId('booking-patient');
  }

  async chooseType(label: string) {
    await this.root.getByLabel('Appointment type').selectOption({ label });
  }

  /** A start chip ("10:00", "Other time"). */
  start(label: string): Locator {
    return this.root.getByRole('radiogroup', { name: 'Start time' }).getByRole('radio', { name: label, exact: true });
  }

  async otherTime(hhmm: string) {
    await this.start('Other time').click();
    await this.root.getByLabel('Start (HH:MM)').fill(hhmm);
  }

  bookButton(): Locator {
    return this.root.getByRole('button', { name: 'Book', exact: true });
  }

  bookAnywayButton(): Locator {
    return this.root.getByRole('button', { name: 'Book anyway' });
  }

  warning(): Locator {
    return this.root.getByRole('alert').filter({ hasText: 'is not a free slot' });
  }
}
