/** Patient-facing LINE texts, in Traditional Chinese as the design drafts them. */
const WEEKDAY_ZH = ['日', '一', '二', '三', '四', '五', '六'];

export function formatDateZh(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${y}年${m}月${d}日（${WEEKDAY_ZH[dow]}）`;
}

export interface AppointmentFacts {
  date: string;
  startTime: string;
  endTime: string;
  practitioner: string;
  appointmentType: string;
}

/** The design's "Patient LINE Cancellation Message". */
export function cancellationMessage(a: AppointmentFacts): string {
  return [
    '📅 預約取消通知',
    '',
    '您的預約已被取消：',
    `• 時間：${formatDateZh(a.date)} ${a.startTime}-${a.endTime}`,
    `• 治療師：${a.practitioner}`,
    `• 項目：${a.appointmentType}`,
    '',
    '如需重新預約，請回覆「重新預約」或直接告訴我您方便的時間。',
    '',
    '如有疑問，請聯繫診所。',
  ].join('\n');
}

/** When an appointment's time changes (a practitioner moved it in Google Calendar). */
export function changeNoticeMessage(before: AppointmentFacts, after: AppointmentFacts): string {
  return [
    '🔄 預約時間變更通知',
    '',
    '您的預約時間已變更：',
    `• 原時間：${formatDateZh(before.date)} ${before.startTime}-${before.endTime}`,
    `• 新時間：${formatDateZh(after.date)} ${after.startTime}-${after.endTime}`,
    `• 治療師：${after.practitioner}`,
    `• 項目：${after.appointmentType}`,
    '',
    '如新時間不方便，請回覆「重新預約」或直接告訴我您方便的時間。',
    '',
    '如有疑問，請聯繫診所。',
  ].join('\n');
}
