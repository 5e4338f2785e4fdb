import semver from 'semver';

// Shared by the zod schema and the fast path, so both read these formats identically.

export const LOCALE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;

/** Accepts MAJOR.MINOR.PATCH (and MAJOR.MINOR), so "2.10.0" compares as a version. */
export function toVersion(value: string): string | null {
  const padded = /^\d+\.\d+$/.test(value) ? `${value}.0` : value;
  return semver.valid(padded);
}

/**
 * Whether a string is well-formed UTF-16, i.e. has a UTF-8 encoding: JSON's \u escapes can
 * spell lone surrogates, which Buffer.from would replace with U+FFFD. (String.prototype.isWellFormed
 * is in Node 20, not yet in the ES2023 library types.)
 */
export function isWellFormedText(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}
