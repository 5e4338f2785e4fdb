import type { ErrorCode } from './error-codes';

export interface LoginStreamErrorOptions {
  readonly cause?: unknown;
  /** Structured context for the log line; never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** An error with a code from the closed set in `error-codes.ts`. */
export class LoginStreamError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: LoginStreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LoginStreamError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export function isLoginStreamError(err: unknown): err is LoginStreamError {
  return err instanceof LoginStreamError;
}
