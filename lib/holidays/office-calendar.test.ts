import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinicDaysOf, decodeOfficeCalendar, OfficeCalendarError, parseOfficeCalendar } from './office-calendar';
import { TAIWAN_YEARS, taiwanClinicDays } from './taiwan';

// The government's office calendar files as data.gov.tw publishes them: 2025 (民國114年, the first
// edition, Big5 as that year's file was) with its one 補行上班 Saturday, and 2026 (UTF-8 with a BOM).
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(__dirname, '../../test/fixtures', name)));

describe('the government office calendar CSV', () => {
  it('a Big5 year imports to exactly its holidays and its make-up Saturday', () => {
    const { year, rows } = parseOfficeCalendar(decodeOfficeCalendar(fixture('office-calendar-2025.big5.csv')));
    expect(year).toBe(2025);
    expect(rows).toHaveLength(365);
    expect(clinicDaysOf(rows).map((d) => [d.date, d.kind, d.name, d.hoursOfWeekday])).toEqual([
      ['2025-01-01', 'closed', '開國紀念日', null],
      ['2025-01-27', 'closed', '小年夜', null],
      ['2025-01-28', 'closed', '農曆除夕', null],
      ['2025-01-29', 'closed', '春節', null],
      ['2025-01-30', 'closed', '春節', null],
      ['2025-01-31', 'closed', '春節', null],
      // no bridge day named 調整放假 in this file: Friday's hours
      ['2025-02-08', 'workday', '補行上班', 5],
      ['2025-02-28', 'closed', '和平紀念日', null],
      ['2025-04-03', 'closed', '補假', null],
      ['2025-04-04', 'closed', '兒童節及民族掃墓節', null],
      ['2025-05-30', 'closed', '補假', null],
      // a named holiday on a Saturday closes clinics open on Saturdays
      ['2025-05-31', 'closed', '端午節', null],
      ['2025-10-06', 'closed', '中秋節', null],
      ['2025-10-10', 'closed', '國慶日', null],
    ]);
    expect(clinicDaysOf(rows, { hoursOfWeekday: 1 }).find((d) => d.kind === 'workday')?.hoursOfWeekday).toBe(1);
  });

  it('a UTF-8 year with a BOM reads the same as the shipped one (16 weekday days off, no make-up day)', () => {
    const { year, rows } = parseOfficeCalendar(decodeOfficeCalendar(fixture('office-calendar-2026.csv')));
    expect(year).toBe(2026);
    expect(rows.filter((r) => r.dayOff)).toHaveLength(120);
    expect(clinicDaysOf(rows)).toEqual(taiwanClinicDays(2026));
    expect(taiwanClinicDays(2026).filter((d) => ![0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()))).toHaveLength(16);
    expect(taiwanClinicDays(2026).find((d) => d.date === '2026-09-25')).toEqual({
      date: '2026-09-25',
      kind: 'closed',
      name: '中秋節',
      hoursOfWeekday: null,
    });
  });

  it('ships 2026 and 2027; 2027 has 17 weekday days off and no make-up day', () => {
    expect(TAIWAN_YEARS).toEqual([2026, 2027]);
    const days = taiwanClinicDays(2027);
    expect(days.every((d) => d.kind === 'closed' && d.date.startsWith('2027-'))).toBe(true);
    expect(days.filter((d) => ![0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()))).toHaveLength(17);
    expect(taiwanClinicDays(2030)).toEqual([]);
  });

  it('a bridge day named 調整放假 gives its weekday to the Saturday that pays it back', () => {
    const csv = '西元日期,星期,是否放假,備註\n20220204,五,2,調整放假\n20220122,六,0,補行上班\n';
    expect(clinicDaysOf(parseOfficeCalendar(csv).rows)).toEqual([
      { date: '2022-01-22', kind: 'workday', name: '補行上班', hoursOfWeekday: 5 },
      { date: '2022-02-04', kind: 'closed', name: '調整放假', hoursOfWeekday: null },
    ]);
  });

  it.each([
    ['', 'empty'],
    ['date,holiday\n20260101,2\n', 'header'],
    ['西元日期,星期,是否放假,備註\n2026013,四,2,\n', 'date'],
    ['西元日期,星期,是否放假,備註\n20260101,四,1,\n', 'flag'],
    ['西元日期,星期,是否放假,備註\n20260101,四,2,\n20270101,五,2,\n', 'year'],
    ['西元日期,星期,是否放假,備註\n20260101,四,2,\n20260101,四,2,\n', 'twice'],
  ])('refuses a file that is not the office calendar (%#: %s)', (csv) => {
    expect(() => parseOfficeCalendar(csv)).toThrow(OfficeCalendarError);
  });

  it('refuses bytes that are neither UTF-8 nor Big5', () => {
    expect(() => decodeOfficeCalendar(new Uint8Array([0xff, 0xfe, 0xff, 0x80]))).toThrow(OfficeCalendarError);
  });
});
