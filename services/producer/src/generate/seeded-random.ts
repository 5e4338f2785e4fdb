import { Faker, base, generateMersenne53Randomizer } from '@faker-js/faker';

/** One seeded stream of randomness: faker for building the population, raw draws for the hot path. */
export interface SeededRandom {
  readonly faker: Faker;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

export function createSeededRandom(seed: number): SeededRandom {
  const randomizer = generateMersenne53Randomizer(seed);
  const faker = new Faker({ locale: base, randomizer });
  const next = () => randomizer.next();
  const below = (n: number) => Math.floor(next() * n);
  return {
    faker,
    next,
    below,
    pick: <T>(items: readonly T[]): T => items[below(items.length)],
    chance: (p) => next() < p,
  };
}

/** Draws an index with probability proportional to its weight, in O(log n): build once, draw often. */
export function indexSampler(weights: ArrayLike<number>): (u: number) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    cumulative[i] = total;
  }
  const last = weights.length - 1;
  return (u) => {
    const target = u * total;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** Picks one of the entries with probability proportional to its weight. */
export function weightedPicker<T>(entries: readonly (readonly [T, number])[]): (u: number) => T {
  const sample = indexSampler(entries.map(([, weight]) => weight));
  return (u) => entries[sample(u)][0];
}

/**
 * Zipf-like activity: the user of rank k (from 1) is drawn with weight 1/k^exponent, so a few
 * users log in very often and most rarely.
 */
export function zipfSampler(size: number, exponent: number): (u: number) => number {
  const weights = new Float64Array(size);
  for (let k = 0; k < size; k++) weights[k] = 1 / Math.pow(k + 1, exponent);
  return indexSampler(weights);
}
