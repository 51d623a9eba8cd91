import { clinicDaysOf, parseOfficeCalendar, type ClinicDayInput } from './office-calendar';

// Taiwan's office calendar for 2026 (民國115年) and 2027 (民國116年), shipped with the app so that a
// clinic in Asia/Taipei has its holidays from the day it is made. Written as the government's CSV
// gives them (西元日期,星期,是否放假,備註), keeping only the rows that are not a plain working weekday
// or a plain weekend; the same mapping as an imported file (clinicDaysOf) turns them into days.
//
// Where they come from:
// - 115年: 行政院 114年6月13日 院授人培字第11430248312號函, 「中華民國115年(西元2026年)政府行政機關
//   辦公日曆表」 (120 days off; its letter lists every long weekend and 補假, as relayed by schools'
//   personnel offices), checked day by day against the data.gov.tw file as republished in JSON by
//   github.com/ruyut/TaiwanCalendar (data/2026.json): 16 weekday days off, no 補行上班.
// - 116年: the data.gov.tw file as republished in ruyut/TaiwanCalendar (data/2027.json): 17 weekday
//   days off (2027-12-31 is the 補假 of 2028's New Year on a Saturday), no 補行上班.
// - The rules, 紀念日及節日實施條例 (law of 2025, which added 小年夜, 勞動節 for all, 9/28 孔子誕辰紀念日,
//   10/25 臺灣光復暨金門古寧頭大捷紀念日 and 12/25 行憲紀念日) and 政府機關配合紀念日與節日補假及調整放假
//   處理要點 as amended on 2025-06-13: a holiday on a Saturday is made up on the working day before, on
//   a Sunday on the working day after (除夕 and 春節 either way); bridge days with a 補行上班 Saturday
//   are no longer set, so neither year has a make-up workday.
// Not confirmed here: the 116年 letter itself (its number and date) was not found, only the file's
// days; 原住民族歲時祭儀 days (set per people, not in the office calendar) are not included.

const YEARS: Record<number, string> = {
  2026: `西元日期,星期,是否放假,備註
20260101,四,2,開國紀念日
20260215,日,2,小年夜
20260216,一,2,農曆除夕
20260217,二,2,春節
20260218,三,2,春節
20260219,四,2,春節
20260220,五,2,補假
20260227,五,2,補假
20260228,六,2,和平紀念日
20260403,五,2,補假
20260404,六,2,兒童節
20260405,日,2,清明節
20260406,一,2,補假
20260501,五,2,勞動節
20260619,五,2,端午節
20260925,五,2,中秋節
20260928,一,2,孔子誕辰紀念日/教師節
20261009,五,2,補假
20261010,六,2,國慶日
20261025,日,2,臺灣光復暨金門古寧頭大捷紀念日
20261026,一,2,補假
20261225,五,2,行憲紀念日`,
  2027: `西元日期,星期,是否放假,備註
20270101,五,2,開國紀念日
20270204,四,2,小年夜
20270205,五,2,農曆除夕
20270206,六,2,春節
20270207,日,2,春節
20270208,一,2,春節
20270209,二,2,補假
20270210,三,2,補假
20270228,日,2,和平紀念日
20270301,一,2,補假
20270404,日,2,兒童節
20270405,一,2,清明節
20270406,二,2,補假
20270430,五,2,補假
20270501,六,2,勞動節
20270609,三,2,端午節
20270915,三,2,中秋節
20270928,二,2,孔子誕辰紀念日/教師節
20271010,日,2,國慶日
20271011,一,2,補假
20271025,一,2,臺灣光復暨金門古寧頭大捷紀念日
20271224,五,2,補假
20271225,六,2,行憲紀念日
20271231,五,2,補假`,
};

/** The years whose office calendar ships with the app. */
export const TAIWAN_YEARS: readonly number[] = Object.keys(YEARS).map(Number);

/** The shipped government rows of a year (as its CSV gives them; plain days left out). */
export function taiwanOfficeCalendarCsv(year: number): string | undefined {
  return YEARS[year];
}

/** The clinic calendar days of a shipped year. */
export function taiwanClinicDays(year: number): ClinicDayInput[] {
  const csv = YEARS[year];
  return csv === undefined ? [] : clinicDaysOf(parseOfficeCalendar(csv).rows);
}
