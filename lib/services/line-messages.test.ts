import { describe, expect, it } from 'vitest';
import { cancellationMessage, changeNoticeMessage, formatDateZh } from './line-messages';

const facts = { date: '2025-01-15', startTime: '10:00', endTime: '11:00', practitioner: 'Dr. Chen', appointmentType: '初診評估' };

describe('patient LINE messages (Traditional Chinese)', () => {
  it('writes dates the Taiwanese way with the weekday', () => {
    expect(formatDateZh('2025-01-15')).toBe('2025年1月15日（三）');
    expect(formatDateZh('2026-11-29')).toBe('2026年11月29日（日）');
  });

  it('the cancellation message of the design: time, practitioner, type, how to rebook', () => {
    expect(cancellationMessage(facts)).toBe(
      [
        '📅 預約取消通知',
        '',
        '您的預約已被取消：',
        '• 時間：2025年1月15日（三） 10:00-11:00',
        '• 治療師：Dr. Chen',
        '• 項目：初診評估',
        '',
        '如需重新預約，請回覆「重新預約」或直接告訴我您方便的時間。',
        '',
        '如有疑問，請聯繫診所。',
      ].join('\n'),
    );
  });

  it('the change notice names the old and the new time', () => {
    const text = changeNoticeMessage(facts, { ...facts, date: '2025-01-16', startTime: '14:00', endTime: '15:00' });
    expect(text).toContain('• 原時間：2025年1月15日（三） 10:00-11:00');
    expect(text).toContain('• 新時間：2025年1月16日（四） 14:00-15:00');
    expect(text).toContain('重新預約');
  });
});
