// The availability engine: pure functions over plain values (no I/O, no clock). Everything that
// decides what is free, what is outside hours and what a slot is comes from here.
export * from './booking-rules';
export * from './intervals';
export * from './outside-hours';
export * from './slots';
export * from './time';
export * from './weekly-schedule';
export * from './staff-override';
