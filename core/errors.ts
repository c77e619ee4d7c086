/**
 * A rule of the domain said no. `message` is French and safe to show to a parent or an agent;
 * `code` is stable for clients and tests; `status` is the HTTP status the server answers with.
 */
export type DomainErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'DEADLINE_PASSED'
  | 'ACTIVITY_CLOSED'
  | 'CAPACITY_REACHED'
  | 'INSUFFICIENT_BALANCE'
  | 'ALREADY_CLOSED'
  | 'PAYMENT_ERROR'
  | 'TOO_MANY_ATTEMPTS'
  | 'TOO_LARGE'
  | 'STORAGE_UNAVAILABLE'
  | 'BACKUP_PASSPHRASE'
  | 'BACKUP_DAMAGED';

const statusByCode: Record<DomainErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  DEADLINE_PASSED: 409,
  ACTIVITY_CLOSED: 409,
  CAPACITY_REACHED: 409,
  INSUFFICIENT_BALANCE: 409,
  ALREADY_CLOSED: 409,
  PAYMENT_ERROR: 502,
  TOO_MANY_ATTEMPTS: 429,
  // An upload cut off at its limit (one announced too large is refused before: server/uploads.ts).
  TOO_LARGE: 413,
  // The disk refused to store a file (full, read-only): the server's condition, not the request's.
  STORAGE_UNAVAILABLE: 507,
  // A backup archive that the passphrase does not open, or that fails its checks.
  BACKUP_PASSPHRASE: 400,
  BACKUP_DAMAGED: 422,
};

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly status: number;
  /** Extra facts for the client, e.g. `{missingCents: 350}` for INSUFFICIENT_BALANCE. */
  readonly details?: Record<string, unknown>;

  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.status = statusByCode[code];
    this.details = details;
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} introuvable.`);
export const invalid = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('VALIDATION', message, details);
