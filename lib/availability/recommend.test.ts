import { describe, expect, it } from 'vitest';
import { fillProfile, MIN_HISTORY, RARELY_FILLED_SHARE, recommendStarts, type ProfileType } from './recommend';
import { computeSlots } from './slots';
import { formatTime, timeToMinutes } from './time';

const at = (hhmm: string) => timeToMinutes(hhmm);
const span = (a: string, b: string) => ({ start: at(a), end: at(b) });
const FOLLOW_UP: ProfileType = { id: 1, durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };
const FIRST_VISIT: ProfileType = { id: 2, durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 };

// The README's example day: 09:00-12:00 and 14:00-18:00, booked 10:00-11:00 and 15:00-15:30,
// clinic step 30 minutes; types 複診 30 minutes and 初診 60 minutes.
const exampleDay = (asked: ProfileType, booked: Map<number, number>) => ({
  working: [span('09:00', '12:00'), span('14:00', '18:00')],
  exceptions: [],
  appointments: [span('10:00', '11:00'), span('15:00', '15:30')],
  durationMinutes: asked.durationMinutes,
  stepMinutes: 30,
  bufferBeforeMinutes: asked.bufferBeforeMinutes,
  bufferAfterMinutes: asked.bufferAfterMinutes,
  earliestStart: null,
  profile: fillProfile([FOLLOW_UP, FIRST_VISIT], booked, 30),
});
const recommended = (req: Parameters<typeof recommendStarts>[0]) => [...recommendStarts(req)].sort((a, b) => a - b).map(formatTime);

describe('recommendStarts', () => {
  it('without history: a 60-minute visit is offered next to the appointments and at the edges of free time', () => {
    const req = exampleDay(FIRST_VISIT, new Map());
    expect(computeSlots(req).map((s) => formatTime(s.start))).toEqual(['09:00', '11:00', '14:00', '15:30', '16:00', '16:30', '17:00']);
    // 16:00 and 16:30 leave gaps a 30-minute 複診 could fill, but they are in the middle of the stretch.
    expect(recommended(req)).toEqual(['09:00', '11:00', '14:00', '15:30', '17:00']);
  });

  it('without history and with only 60-minute types: a start leaving 30 minutes is not recommended', () => {
    const req = { ...exampleDay(FIRST_VISIT, new Map()), profile: fillProfile([FIRST_VISIT], new Map(), 30) };
    // 16:00 would leave 15:30-16:00 and 17:00-18:00: the first too short for anything.
    expect(recommended(req)).toEqual(['09:00', '11:00', '14:00', '15:30', '17:00']);
    const day = { ...req, appointments: [...req.appointments, span('17:30', '18:00')] };
    // 15:30-17:30 free: 15:30 and 16:30 waste nothing; 16:00 would leave two 30-minute holes.
    expect(recommended(day)).toEqual(['09:00', '11:00', '14:00', '15:30', '16:30']);
  });

  it('with history where 30-minute visits are rare, a 複診 is steered away from the hour gaps a 初診 fills', () => {
    const booked = new Map([
      [FOLLOW_UP.id, 2],
      [FIRST_VISIT.id, 48],
    ]);
    const req = exampleDay(FOLLOW_UP, booked);
    expect(req.profile.learned).toBe(true);
    expect(computeSlots(req).map((s) => formatTime(s.start))).toEqual([
      '09:00',
      '09:30',
      '11:00',
      '11:30',
      '14:00',
      '14:30',
      '15:30',
      '16:00',
      '16:30',
      '17:00',
      '17:30',
    ]);
    // Every morning start and 14:00/14:30 would leave a half hour that history says is rarely booked.
    expect(recommended(req)).toEqual(['15:30', '17:30']);
    // A 初診 is offered at the same starts whatever the history: none of them leaves a lone half hour.
    expect(recommended(exampleDay(FIRST_VISIT, booked))).toEqual(['09:00', '11:00', '14:00', '15:30', '17:00']);
    // Without that history the half hours count as bookable, and every stretch's edges are offered.
    expect(recommended(exampleDay(FOLLOW_UP, new Map()))).toEqual(['09:00', '09:30', '11:00', '11:30', '14:00', '14:30', '15:30', '17:30']);
  });

  it('a day without appointments recommends the edges of its working intervals; exceptions and notice are edges too', () => {
    const req = { ...exampleDay(FIRST_VISIT, new Map()), appointments: [] };
    expect(recommended(req)).toEqual(['09:00', '11:00', '14:00', '17:00']);
    expect(recommended({ ...req, exceptions: [span('15:00', '16:00')] })).toEqual(['09:00', '11:00', '14:00', '16:00', '17:00']);
    expect(recommended({ ...req, earliestStart: at('10:30') })).toEqual(['10:30', '11:00', '14:00', '17:00']);
  });

  it("counts the asked type's buffers as its own time, and a filler's buffers against the new appointment", () => {
    const buffered: ProfileType = { id: 3, durationMinutes: 30, bufferBeforeMinutes: 10, bufferAfterMinutes: 10 };
    const req = {
      working: [span('09:00', '11:00')],
      exceptions: [],
      appointments: [span('09:00', '09:30')],
      durationMinutes: 30,
      stepMinutes: 10,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 10,
      earliestStart: null,
      profile: fillProfile([buffered], new Map(), 10),
    };
    // 09:40 is right after the appointment and its buffer; 10:30 ends at the edge. 10:00 would
    // leave 09:30-09:50, too short for a buffered half hour.
    expect(recommended(req)).toEqual(['09:40', '10:30']);
  });

  it('recommends nothing on a day without free starts', () => {
    expect(recommendStarts({ ...exampleDay(FIRST_VISIT, new Map()), working: [] }).size).toBe(0);
  });
});

describe('fillProfile', () => {
  it('weighs types by their bookings once there are enough, and every type in use the same before', () => {
    const few = fillProfile([FOLLOW_UP, FIRST_VISIT], new Map([[FOLLOW_UP.id, MIN_HISTORY - 1]]), null);
    expect(few).toMatchObject({ learned: false, minShare: 0 });
    expect(few.fillers.map((f) => [f.share, f.stepMinutes])).toEqual([
      [0.5, 30],
      [0.5, 60],
    ]);
    const many = fillProfile(
      [FOLLOW_UP, FIRST_VISIT],
      new Map([
        [FOLLOW_UP.id, 5],
        [FIRST_VISIT.id, 15],
        [99, 1000], // a type no longer in use counts for nothing
      ]),
      15,
    );
    expect(many).toMatchObject({ learned: true, minShare: RARELY_FILLED_SHARE });
    expect(many.fillers.map((f) => [f.share, f.stepMinutes])).toEqual([
      [0.25, 15],
      [0.75, 15],
    ]);
  });
});
