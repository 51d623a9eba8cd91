import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookAppointmentSchema, clinicSlotsQuery, createPatientSchema, practitionerSlotsQuery } from '@/lib/schemas/agent';
import { calendarQuerySchema } from '@/lib/schemas/calendar';
import { confirmQuery, decimalInt, positiveId, userText } from '@/lib/schemas/common';
import { clearExceptionsSchema, createExceptionSchema, updateExceptionSchema } from '@/lib/schemas/exceptions';
import { weeklyScheduleSchema } from '@/lib/schemas/weekly-schedule';
import { daysBetween } from '@/lib/time/dates';

// The request schemas are total: whatever arrives, safeParse answers (success or issues) and never throws.

const REQUEST_SCHEMAS = {
  practitionerSlotsQuery,
  clinicSlotsQuery,
  createPatientSchema,
  bookAppointmentSchema,
  calendarQuerySchema,
  confirmQuery,
  createExceptionSchema,
  updateExceptionSchema,
  clearExceptionsSchema,
  weeklyScheduleSchema,
  positiveId,
};

const dateish = fc.oneof(fc.constantFrom('2026-02-30', 'garbage', '', '2026-13-01', '9999-12-31', '1000-01-01', '2026-03-01'), fc.string());
const queryish = fc.dictionary(
  fc.constantFrom('date', 'from', 'to', 'month', 'page', 'limit', 'appointment_type_id', 'confirm', 'x'),
  fc.oneof(dateish, fc.string()),
);

describe('request schemas never throw', () => {
  it.each(Object.entries(REQUEST_SCHEMAS))('%s', (_name, schema) => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), queryish, fc.record({ from: dateish, to: dateish, appointment_type_id: fc.constant('1') })), (value) => {
        expect(() => schema.safeParse(value)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('daysBetween is total: NaN for a date that is not one', () => {
    expect(daysBetween('2026-02-30', '2026-03-01')).toBeNaN();
    expect(daysBetween('2026-03-01', 'garbage')).toBeNaN();
    expect(daysBetween('2026-03-01', '2026-03-03')).toBe(2);
  });

  it('the range form refuses malformed dates with issues, not an exception', () => {
    const r = practitionerSlotsQuery.safeParse({ from: '2026-02-30', to: 'garbage', appointment_type_id: '1' });
    expect(r.success).toBe(false);
  });
});

describe('building blocks', () => {
  it('decimalInt takes decimal digits only, then checks the range', () => {
    const limit = decimalInt(1, 31);
    expect(limit.parse('10')).toBe(10);
    expect(limit.parse('010')).toBe(10);
    for (const bad of ['0x10', '1e1', ' 1', '1 ', '+1', '-1', '1.0', '', '0', '32', 'Infinity', '１', '99999999999999999999']) {
      expect(limit.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('positiveId takes a JSON integer or decimal text', () => {
    expect(positiveId.parse(7)).toBe(7);
    expect(positiveId.parse('7')).toBe(7);
    for (const bad of [0, -1, 1.5, 2 ** 31, '0x7', '7e0', ' 7', null, true]) expect(positiveId.safeParse(bad).success, String(bad)).toBe(false);
  });

  it('userText trims and refuses control characters and lone surrogates', () => {
    const name = userText({ max: 10 });
    expect(name.parse('  王小明 ')).toBe('王小明');
    expect(name.parse('😀')).toBe('😀');
    for (const bad of [
      'a\u0000b',
      '\u0000',
      'a\u001bb',
      'a\nb',
      'a\tb',
      'a\u007fb',
      'a\ud800',
      '\udc00b',
      '',
      '   ',
      'x'.repeat(11),
      '\r0912',
      '0912\n',
    ]) {
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    const note = userText({ max: 100, multiline: true });
    expect(note.parse('line 1\n\tline 2')).toBe('line 1\n\tline 2');
    expect(note.safeParse('a\u0000b').success).toBe(false);
    expect(note.safeParse('a\rb').success).toBe(false);
  });
});
