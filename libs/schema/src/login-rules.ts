import type { LoginField } from './raw-login';
import { LOGIN_FIELDS } from './raw-login';

/** The validation policy; the processor reads it from its environment. */
export interface LoginRules {
  readonly requiredFields: readonly LoginField[];
  /** Accepted device types in their canonical spelling; input is matched case-insensitively. */
  readonly supportedDeviceTypes: readonly string[];
  /** Lowest accepted `app_version`, compared as a version (2.10.0 > 2.3.0). */
  readonly minAppVersion: string;
  /** How far past "now" an event time may be before it is treated as a broken clock. */
  readonly maxFutureSkewMs: number;
}

export const DEFAULT_LOGIN_RULES: LoginRules = Object.freeze({
  requiredFields: LOGIN_FIELDS,
  supportedDeviceTypes: Object.freeze(['android', 'iOS']),
  minAppVersion: '2.3.0',
  maxFutureSkewMs: 24 * 60 * 60 * 1000,
});
