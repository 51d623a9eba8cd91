import type { Page } from '@playwright/test';

/** The top bar every signed-in page has. */
export class AppShell {
  constructor(private readonly page: Page) {}

  profileMenuButton(name: string) {
    return this.page.getByRole('button', { name: `Profile menu for ${name}` });
  }

  async openProfileMenu(name: string) {
    await this.profileMenuButton(name).click();
    return this.page.getByRole('menu', { name: `Profile menu for ${name}` });
  }

  practitionerSwitcher() {
    return this.page.getByRole('combobox', { name: 'Practitioner' });
  }

  async horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }
}
