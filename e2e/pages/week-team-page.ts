import { expect, test, type Locator, type Page } from '@playwright/test';

/** The week view (seven days on a desktop, three on a phone) and the team day view. */
export class WeekTeamPage {
  constructor(
    private readonly page: Page,
    private readonly touch: boolean,
    private readonly text: { weekGrid: string; teamGrid: string } = { weekGrid: 'Week view', teamGrid: 'Team day view' },
  ) {}

  async gotoWeek(practitionerId: number, date: string) {
    await this.page.goto(`/calendar?practitioner=${practitionerId}&week=${date}`);
    await this.waitForWeek(date);
  }

  async gotoTeam(date: string) {
    await this.page.goto(`/calendar/team?date=${date}`);
    await expect(this.teamGrid().getByRole('heading', { level: 2 }).first()).toBeVisible();
  }

  weekGrid(): Locator {
    return this.page.getByRole('region', { name: this.text.weekGrid });
  }

  teamGrid(): Locator {
    return this.page.getByRole('region', { name: this.text.teamGrid });
  }

  /** Waits until the grid is drawn with `date` among its days. */
  async waitForWeek(date: string) {
    await expect(this.weekGrid().locator(`[data-date="${date}"]`).first()).toBeVisible();
  }

  /** The dates the week grid shows, in order. */
  async shownDates(): Promise<string[]> {
    return this.weekGrid()
      .locator('[data-date]')
      .evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-date')!))].sort());
  }

  weekEvent(name: string | RegExp): Locator {
    return this.weekGrid().getByRole('button', { name });
  }

  /** The date of the day column an element is drawn in (by where its centre lies). */
  async columnOf(element: Locator): Promise<string | null> {
    const box = (await element.boundingBox())!;
    const x = box.x + box.width / 2;
    for (const date of await this.shownDates()) {
      const col = (await this.weekGrid().locator(`[data-date="${date}"]`).first().boundingBox())!;
      if (x >= col.x && x < col.x + col.width) return date;
    }
    return null;
  }

  /** A practitioner's column of the team grid. */
  teamColumn(name: string): Locator {
    return this.teamGrid().getByRole('group', { name, exact: true });
  }

  async tap(target: Locator) {
    if (this.touch) await target.tap();
    else await target.click();
  }

  async tapAt(x: number, y: number) {
    if (this.touch) await this.page.touchscreen.tap(x, y);
    else await this.page.mouse.click(x, y);
  }

  /** A finger moving sideways across a region: real touch events through the DevTools protocol. */
  async swipe(region: Locator, direction: 'left' | 'right') {
    const box = (await region.boundingBox())!;
    const viewport = this.page.viewportSize()!;
    // Mid-screen, within the region however far the page has scrolled.
    const y = Math.max(box.y + 10, Math.min(viewport.height / 2, box.y + box.height - 10));
    const [from, to] = direction === 'left' ? [0.8, 0.2] : [0.2, 0.8];
    const cdp = await this.page.context().newCDPSession(this.page);
    const at = (f: number) => [{ x: box.x + box.width * f, y }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) });
    for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(from + ((to - from) * i) / 6) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  async horizontalOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  async screenshot(name: string) {
    await this.page.evaluate(() => document.fonts.ready);
    await this.page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
  }
}
