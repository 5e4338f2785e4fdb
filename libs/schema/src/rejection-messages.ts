/**
 * The words of each rejection, shared by the zod schema and the fast path so that both explain
 * a dead letter identically. Values are quoted up to 64 characters.
 */
const preview = (v: unknown) => String(v).slice(0, 64);

export const REJECTION_MESSAGES = {
  missing: (field: string) => `${field} is missing`,
  notAVersion: (version: string) => `app_version "${preview(version)}" is not a version`,
  versionTooOld: (version: string, minimum: string) => `app_version ${version} is below the minimum ${minimum}`,
  unsupportedDeviceType: (deviceType: string, supported: readonly string[]) => `device_type "${preview(deviceType)}" is not one of ${supported.join(', ')}`,
  invalidIp: (ip: string) => `ip "${preview(ip)}" is not an IPv4 or IPv6 address`,
  invalidLocale: (locale: string) => `locale "${preview(locale)}" is not a locale code`,
  /** JSON's \u escapes can spell a lone surrogate, which has no UTF-8 bytes: as a key it would collide. */
  notUnicode: (field: string) => `${field} is not valid Unicode text (it holds a lone surrogate)`,
  tooDeep: (field: string, limit: number) => `${field} is nested deeper than ${limit} levels`,
} as const;
