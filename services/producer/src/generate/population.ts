import type { SeededRandom } from './seeded-random';
import { weightedPicker } from './seeded-random';

export interface Device {
  readonly id: string;
  readonly type: 'android' | 'iOS';
  readonly appVersion: string;
}

export interface User {
  readonly id: string;
  /** Two-letter country code, fixed per user. */
  readonly locale: string;
  /** One to three. */
  readonly devices: readonly Device[];
  /** A handful of IPv4 addresses the user logs in from (home, work, mobile...). */
  readonly ips: readonly string[];
}

// Several releases in use, all at or above the validator's minimum 2.3.0; 2.10.0 makes sure
// versions are compared as versions, not as strings.
const APP_VERSIONS = weightedPicker<string>([
  ['2.3.0', 30],
  ['2.3.1', 15],
  ['2.4.0', 20],
  ['2.5.2', 15],
  ['2.10.0', 12],
  ['3.0.0', 8],
]);

const DEVICE_TYPES = weightedPicker<Device['type']>([
  ['android', 60],
  ['iOS', 40],
]);

// A few markets dominate, the rest of the world is the tail ('*' = any ISO country code).
const LOCALES = weightedPicker<string>([
  ['US', 35],
  ['IN', 10],
  ['GB', 8],
  ['DE', 6],
  ['BR', 6],
  ['FR', 5],
  ['CA', 4],
  ['JP', 4],
  ['MX', 3],
  ['*', 19],
]);

function buildDevice(random: SeededRandom): Device {
  return { id: random.faker.string.uuid(), type: DEVICE_TYPES(random.next()), appVersion: APP_VERSIONS(random.next()) };
}

/** Builds the users once; events then only draw from these arrays. */
export function buildPopulation(size: number, random: SeededRandom): readonly User[] {
  const { faker } = random;
  return Array.from({ length: size }, (): User => {
    const locale = LOCALES(random.next());
    return {
      id: faker.string.uuid(),
      locale: locale === '*' ? faker.location.countryCode('alpha-2') : locale,
      devices: Array.from({ length: 1 + random.below(3) }, () => buildDevice(random)),
      ips: Array.from({ length: 1 + random.below(4) }, () => faker.internet.ipv4()),
    };
  });
}
