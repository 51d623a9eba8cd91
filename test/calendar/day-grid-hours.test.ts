import { describe, expect, test } from 'vitest';
import { dayGridHours, visibleHours } from '@/components/calendar/calendar-time';

describe('the day grid covers the day: 07:00-22:00, widened to whole hours around working hours and events', () => {
  test('an ordinary day stays 07:00-22:00', () => {
    expect(dayGridHours([{ start_time: '09:00', end_time: '18:00' }], [{ start_time: '10:00', end_time: '11:00' }])).toEqual({
      min: '07:00:00',
      max: '22:00:00',
    });
  });

  test('working hours from 06:30 open the grid at 06:00; the 06:30 slot is inside it', () => {
    expect(dayGridHours([{ start_time: '06:30', end_time: '12:00' }], [])).toEqual({ min: '06:00:00', max: '22:00:00' });
  });

  test('an evening interval or event rounds the end up to the hour, at most 24:00', () => {
    expect(dayGridHours([{ start_time: '18:00', end_time: '22:15' }], [])).toEqual({ min: '07:00:00', max: '23:00:00' });
    expect(dayGridHours([], [{ start_time: '23:00', end_time: '24:00' }])).toEqual({ min: '07:00:00', max: '24:00:00' });
    expect(dayGridHours([{ start_time: '00:00', end_time: '24:00' }], [])).toEqual({ min: '00:00:00', max: '24:00:00' });
  });

  test('the earliest of working hours and events wins; a start on the hour is not moved', () => {
    expect(
      dayGridHours(
        [{ start_time: '08:00', end_time: '12:00' }],
        [
          { start_time: '05:00', end_time: '05:30' },
          { start_time: '06:45', end_time: '07:15' },
        ],
      ),
    ).toEqual({ min: '05:00:00', max: '22:00:00' });
  });

  test('all-day events (no times) and a day without working hours leave the default', () => {
    expect(dayGridHours([], [{ start_time: null, end_time: null }])).toEqual({ min: '07:00:00', max: '22:00:00' });
    expect(visibleHours([])).toEqual({ min: '07:00:00', max: '22:00:00' });
  });
});
