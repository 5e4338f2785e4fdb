export { ERROR_CODES } from './error-codes';
export type { ErrorCode } from './error-codes';
export { LoginStreamError, isLoginStreamError } from './login-stream-error';
export type { LoginStreamErrorOptions } from './login-stream-error';
export { classifyFailure } from './classify';
export type { FailureKind } from './classify';
