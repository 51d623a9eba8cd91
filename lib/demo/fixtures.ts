/** The demo clinic of CONTRACT.md and the design's story (Dr. Chen's week as drawn there). */
type Week = Record<number, Array<[string, string]>>;

const chenWeek: Week = {
  1: [
    ['09:00', '12:00'],
    ['14:00', '18:00'],
  ],
  2: [['09:00', '17:00']],
  3: [
    ['09:00', '12:00'],
    ['14:00', '18:00'],
  ],
  4: [['09:00', '17:00']],
  5: [['09:00', '17:00']],
  6: [['10:00', '14:00']],
};

const linWeek: Week = {
  1: [['13:00', '21:00']],
  2: [['13:00', '21:00']],
  4: [
    ['09:00', '12:00'],
    ['13:00', '18:00'],
  ],
  5: [['13:00', '21:00']],
  6: [['09:00', '13:00']],
};

export const DEMO = {
  clinic: { slug: 'demo', name: '康復物理治療所 (Demo Clinic)', timezone: 'Asia/Taipei', minNoticeMinutes: 60 },
  users: [
    { email: 'chen@clinic.test', name: 'Dr. Chen', role: 'practitioner' as const, isPractitioner: true },
    { email: 'lin@clinic.test', name: 'Dr. Lin', role: 'practitioner' as const, isPractitioner: true },
    { email: 'admin@clinic.test', name: 'Clinic Admin', role: 'admin' as const, isPractitioner: false },
  ],
  patients: [
    { fullName: '陳小姐', phoneNumber: '0912-345-678', lineUserId: `U${'0'.repeat(31)}1` },
    { fullName: '王先生', phoneNumber: '0922-111-222', lineUserId: `U${'0'.repeat(31)}2` },
    { fullName: '林先生', phoneNumber: '0933-555-666', lineUserId: `U${'0'.repeat(31)}3` },
    { fullName: '張太太', phoneNumber: '0955-777-888', lineUserId: `U${'0'.repeat(31)}4` },
  ],
  appointmentTypes: [
    { name: '初診評估', durationMinutes: 60 },
    { name: '一般複診', durationMinutes: 30 },
  ],
  schedules: [
    { email: 'chen@clinic.test', week: chenWeek },
    { email: 'lin@clinic.test', week: linWeek },
  ],
};
