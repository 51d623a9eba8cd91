export * from './clinic';
export * from './calendar';
export * from './operations';
export * from './google';
export * from './legacy';
