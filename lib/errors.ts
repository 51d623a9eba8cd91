import { ZodError } from 'zod';

/** Error codes of the contract, with their HTTP status: the one list (responses.ts derives from it). */
const ERROR_STATUS = {
  validation_error: 400,
  overlapping_intervals: 400,
  invalid_time_range: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  slot_unavailable: 409,
  idempotency_conflict: 409,
  conflict: 409,
  cancellation_window_passed: 409,
  patient_limit_reached: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  busy: 503,
  not_configured: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The codes answered with one HTTP status (the OpenAPI document describes each status by them). */
export function errorCodesWithStatus(status: number): ErrorCode[] {
  return ERROR_CODES.filter((code) => ERROR_STATUS[code] === status);
}

/** The one error type of the services; routes and actions serialise it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** Warning codes of the contract (HTTP 409, nothing saved): the one list (responses.ts derives from it). */
export const WARNING_CODES = [
  'appointments_outside_hours',
  'appointment_conflicts',
  'member_has_future_appointments',
  'timezone_change',
  'outside_hours',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * A change that needs the caller's confirmation (the design's WarningResponse): nothing is saved,
 * and the same request with `?confirm=true` goes through.
 */
export class AppWarning extends Error {
  readonly code: WarningCode;
  readonly details: Record<string, unknown>;
  constructor(code: WarningCode, message: string, details: Record<string, unknown>) {
    super(message);
    this.name = 'AppWarning';
    this.code = code;
    this.details = details;
  }
}

export function validationError(error: ZodError): AppError {
  return new AppError('validation_error', 'The request is not valid', {
    issues: error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
  });
}

export function notFound(what = 'Resource'): AppError {
  return new AppError('not_found', `${what} not found`);
}

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details?: unknown;
}
export interface WarningBody {
  warning: WarningCode;
  message: string;
  details: Record<string, unknown>;
}

/** SQLSTATE of a database error; Drizzle wraps the driver's error in `cause`. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.code === 'string' ? e.code : undefined;
}

/**
 * Database refusals that are the caller's problem or a passing one, as contract errors: the
 * database's own guarantees (no double booking, unique names) answer like the services' checks,
 * and bounded waits (lock, statement, pool) answer 503 busy instead of hanging or a 500.
 */
function fromDatabaseError(err: unknown): AppError | null {
  const state = sqlStateOf(err);
  if (state === '23P01') return new AppError('slot_unavailable', 'That time overlaps another confirmed appointment');
  if (state === '23505') return new AppError('conflict', 'That already exists');
  if (state === '55P03' || state === '57014' || state === '40001' || state === '40P01') {
    return new AppError('busy', 'The database is busy; try again in a moment', { retry_after_seconds: 1 });
  }
  if (state === '22P05' || state === '22021' || state === '54000')
    return new AppError('validation_error', 'The request holds characters or sizes the database cannot store');
  const message = err instanceof Error ? err.message : '';
  // node-postgres's pool: no connection free within connectionTimeoutMillis.
  if (/timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(message)) {
    return new AppError('busy', 'No database connection is free; try again in a moment', { retry_after_seconds: 2 });
  }
  return null;
}

/** Turns anything thrown into the contract's body and status. Unknown errors are logged, never sent. */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody | WarningBody } {
  if (err instanceof AppWarning) {
    return { status: 409, body: { warning: err.code, message: err.message, details: err.details } };
  }
  if (err instanceof ZodError) err = validationError(err);
  if (!(err instanceof AppError)) {
    const mapped = fromDatabaseError(err);
    if (mapped) {
      if (mapped.code === 'busy') console.warn('Busy:', err instanceof Error ? err.message : err);
      err = mapped;
    }
  }
  if (err instanceof AppError) {
    const body: ErrorBody = { error: err.code, message: err.message };
    if (err.details !== undefined) body.details = err.details;
    return { status: err.status, body };
  }
  console.error('Unhandled error', err);
  return { status: 500, body: { error: 'internal_error', message: 'Something went wrong' } };
}

/** Form state for server actions (useActionState). */
export type ActionState<T = unknown> =
  | { status: 'idle' }
  | { status: 'ok'; data: T }
  | { status: 'error'; code: ErrorCode; message: string; fieldErrors?: Record<string, string[]>; details?: unknown }
  | { status: 'warning'; code: WarningCode; message: string; details: Record<string, unknown> };

export function toActionState(err: unknown): ActionState<never> {
  if (err instanceof AppWarning) return { status: 'warning', code: err.code, message: err.message, details: err.details };
  if (err instanceof ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of err.issues) (fieldErrors[issue.path.join('.') || '_'] ??= []).push(issue.message);
    return { status: 'error', code: 'validation_error', message: 'The form has errors', fieldErrors };
  }
  const { body } = toErrorBody(err);
  if ('warning' in body) throw new Error('unreachable');
  return { status: 'error', code: body.error, message: body.message, details: body.details };
}
