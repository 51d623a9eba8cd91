import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/** The calendar's month and day views (FullCalendar inside; its class names are hashed, so roles and data-date). */
export class CalendarPage {
  /** touch = the project emulates a touch screen (taps are touch events there, clicks elsewhere) */
  constructor(
    private readonly page: Page,
    private readonly touch: boolean,
  ) {}

  async gotoMonth(practitionerId: number, month?: string) {
    await this.page.goto(`/calendar?practitioner=${practitionerId}${month ? `&month=${month}` : ''}`);
    await this.waitForMonth();
  }

  async gotoDay(practitionerId: number, date: string) {
    await this.page.goto(`/calendar?practitioner=${practitionerId}&date=${date}`);
    await this.waitForDay(date);
  }

  async waitForMonth() {
    await expect(this.monthGrid().locator('[role="cell"][data-date]').first()).toBeVisible();
  }

  async waitForDay(date: string) {
    await expect(this.dayGrid().locator(`[role="cell"][data-date="${date}"]`).first()).toBeVisible();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  // ---- month view

  monthGrid(): Locator {
    return this.page.getByRole('region', { name: 'Month view' });
  }

  dayCell(date: string): Locator {
    return this.monthGrid().locator(`[role="cell"][data-date="${date}"]`);
  }

  /** The day number: a link named by the date and its count ("November 24, 2026: 3 appointments"). */
  dayLink(date: string): Locator {
    return this.dayCell(date).getByRole('link');
  }

  /** date → the accessible name of its day link, for every day cell of the grid. */
  async dayLabels(): Promise<Record<string, string>> {
    return this.monthGrid()
      .locator('[role="cell"][data-date]')
      .evaluateAll((cells) =>
        Object.fromEntries(cells.map((c) => [c.getAttribute('data-date'), c.querySelector('[role="link"]')?.getAttribute('aria-label') ?? ''])),
      );
  }

  todayCell(): Locator {
    return this.monthGrid().locator('[role="cell"][aria-current="date"]');
  }

  previousMonth = () => this.page.getByRole('link', { name: 'Previous month' });
  nextMonth = () => this.page.getByRole('link', { name: 'Next month' });
  monthPicker = () => this.page.getByLabel('Choose month');
  clearButton = () => this.page.getByRole('button', { name: 'Clear unavailability…' });

  async tapDay(date: string) {
    // Off the day number (a link of its own): FullCalendar's dateClick on the cell's empty part.
    const box = (await this.dayCell(date).boundingBox())!;
    await this.tapAt(box.x + box.width / 2, box.y + box.height - 6);
  }

  // ---- day view

  dayGrid(): Locator {
    return this.page.getByRole('region', { name: 'Day view' });
  }

  /** An event block (appointment or exception), by its text: "陳小姐 - 初診評估", "Unavailable 13:00 – 14:00". */
  event(name: string | RegExp, options: { exact?: boolean } = {}): Locator {
    return this.dayGrid().getByRole('button', { name, ...options });
  }

  backToMonth = () => this.page.getByRole('link', { name: 'Back to month' });
  previousDay = () => this.page.getByRole('link', { name: 'Previous day' });
  nextDay = () => this.page.getByRole('link', { name: 'Next day' });
  /** "+": opens the booking sheet for staff (which can switch to unavailability). */
  addButton = () => this.page.getByRole('button', { name: 'Add appointment or unavailability' });

  /** From the booking sheet that a tap on free time or "+" opens, to the add-unavailability sheet. */
  async chooseUnavailable() {
    await this.page.getByRole('dialog', { name: 'Book an appointment' }).getByRole('button', { name: 'Unavailable', exact: true }).click();
  }

  /** The time grid's lane of a 30-minute slot (FullCalendar marks slots with data-time). */
  private slot(time: string): Locator {
    return this.dayGrid().locator(`[data-time="${time}:00"]`).last();
  }

  async tapTime(time: string) {
    const slot = this.slot(time);
    await slot.scrollIntoViewIfNeeded();
    const box = (await slot.boundingBox())!;
    await this.tapAt(box.x + box.width / 2, box.y + box.height / 2);
  }

  async tapEvent(name: string | RegExp, options: { exact?: boolean } = {}) {
    const block = this.event(name, options);
    if (this.touch) await block.tap();
    else await block.click();
  }

  /** Whether the slot at `time` is drawn in the grayed-out token color (outside working hours). */
  async isGrayedAt(time: string): Promise<boolean> {
    const slot = this.slot(time);
    await slot.scrollIntoViewIfNeeded();
    return slot.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--color-grayed');
      document.body.append(probe);
      const gray = getComputedStyle(probe).color;
      probe.remove();
      const r = el.getBoundingClientRect();
      return document.elementsFromPoint(r.left + r.width - 4, r.top + r.height / 2).some((e) => getComputedStyle(e).backgroundColor === gray);
    });
  }

  // ---- sheets

  sheet(title: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name: title });
  }

  // ---- gestures and artifacts

  async tapAt(x: number, y: number) {
    if (this.touch) await this.page.touchscreen.tap(x, y);
    else await this.page.mouse.click(x, y);
  }

  /** A finger moving sideways across a region: real touch events through the DevTools protocol. */
  async swipe(region: Locator, direction: 'left' | 'right') {
    await region.scrollIntoViewIfNeeded();
    const box = (await region.boundingBox())!;
    const viewport = this.page.viewportSize()!;
    const y = Math.min(box.y + box.height / 2, viewport.height / 2);
    const [from, to] = direction === 'left' ? [0.8, 0.2] : [0.2, 0.8];
    const cdp = await this.page.context().newCDPSession(this.page);
    const at = (f: number) => [{ x: box.x + box.width * f, y }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(from) });
    for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(from + ((to - from) * i) / 6) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** A finger dragging an element `distance` px straight down (a bottom sheet's handle). */
  async swipeDown(handle: Locator, distance: number) {
    const box = (await handle.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    for (let i = 1; i <= 8; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y + (distance * i) / 8 }] });
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

/** The contract's calendar endpoint: what the tests expect the UI to show. */
export class CalendarApi {
  constructor(private readonly request: APIRequestContext) {}

  async practitionerId(name: string): Promise<number> {
    const list: Array<{ id: number; name: string }> = await (await this.request.get('/api/clinic/practitioners')).json();
    return list.find((p) => p.name === name)!.id;
  }

  /**
   * What the month grid says of each day after "<date>: " (its count, and whether the day has
   * unavailable time), as the calendar API gives the month.
   */
  async monthDayTexts(practitionerId: number, month: string): Promise<Record<string, string>> {
    const res = await this.request.get(`/api/clinic/practitioners/${practitionerId}/availability/calendar?month=${month}`);
    expect(res.status()).toBe(200);
    const body: { days: Array<{ date: string; appointment_count: number; exception_count?: number }> } = await res.json();
    return Object.fromEntries(body.days.map((d) => [d.date, dayText(d.appointment_count, d.exception_count ?? 0)]));
  }

  async monthCounts(practitionerId: number, month: string): Promise<Record<string, number>> {
    const res = await this.request.get(`/api/clinic/practitioners/${practitionerId}/availability/calendar?month=${month}`);
    expect(res.status()).toBe(200);
    const body: { days: Array<{ date: string; appointment_count: number }> } = await res.json();
    return Object.fromEntries(body.days.map((d) => [d.date, d.appointment_count]));
  }

  async day(
    practitionerId: number,
    date: string,
  ): Promise<{
    default_schedule: Array<{ start_time: string; end_time: string }>;
    events: Array<{
      type: string;
      calendar_event_id: number;
      start_time: string | null;
      end_time: string | null;
      outside_hours?: boolean;
      title: string;
    }>;
  }> {
    const res = await this.request.get(`/api/clinic/practitioners/${practitionerId}/availability/calendar?date=${date}`);
    expect(res.status()).toBe(200);
    return res.json();
  }

  /** The day's exceptions as "HH:MM-HH:MM" or "all day", in the API's order. */
  async exceptions(practitionerId: number, date: string): Promise<string[]> {
    return (await this.day(practitionerId, date)).events
      .filter((e) => e.type === 'availability_exception')
      .map((e) => (e.start_time ? `${e.start_time}-${e.end_time}` : 'all day'));
  }
}

/** What the day link says about a count (the month view's accessible name). */
export function countText(count: number): string {
  return count === 0 ? 'no appointments' : count === 1 ? '1 appointment' : `${count} appointments`;
}

/** A month day's text: its count, and ", with unavailable time" when it has exceptions. */
export function dayText(count: number, exceptions: number): string {
  return exceptions > 0 ? `${countText(count)}, with unavailable time` : countText(count);
}

export function monthLabel(month: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}
