import type { Page } from '@playwright/test';

/** The patients list (/patients) and a patient's page (/patients/<id>). */
export class PatientsPage {
  constructor(private readonly page: Page) {}

  async gotoList(q?: string) {
    await this.page.goto(q === undefined ? '/patients' : `/patients?q=${encodeURIComponent(q)}`);
  }

  async gotoPatient(id: number | string, query = '') {
    return this.page.goto(`/patients/${id}${query}`);
  }

  searchBox(name = 'Search patients') {
    return this.page.getByRole('search', { name }).getByRole('searchbox');
  }

  result(name: string) {
    return this.page.getByRole('link', { name: new RegExp(name) });
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The count under a label of the page's head ("Upcoming", "No-shows"). */
  count(label: string) {
    return this.page
      .locator('dl > div')
      .filter({ has: this.page.locator('dt', { hasText: label }) })
      .locator('dd');
  }

  section(name: string) {
    return this.page.getByRole('region', { name });
  }

  rows(section: string) {
    return this.section(section).getByRole('listitem');
  }

  editButton(name = 'Edit') {
    return this.page.getByRole('button', { name, exact: true });
  }

  dialog(name: string) {
    return this.page.getByRole('dialog', { name });
  }
}
