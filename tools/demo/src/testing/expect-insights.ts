import { expectedInsights } from './insights-oracle';
import type { ExpectedInsights, OracleSize } from './insights-oracle';
import { withoutEmittedAt } from './pipeline-harness';
import type { PipelineUnderTest } from './pipeline-harness';

/** The window sizes and grace of the insights defaults. */
export const DEFAULT_SIZES: readonly OracleSize[] = [
  { label: '1m', ms: 60_000 },
  { label: '1h', ms: 3_600_000 },
];
export const DEFAULT_GRACE_MS = 5_000;

/**
 * Once all `count` logins are processed, waits for every window the oracle expects from them and
 * holds login-insights to it: each window exactly once, equal. The oracle, for what else to check.
 */
export async function expectInsightsOfOracle(p: PipelineUnderTest, count: number, sizes = DEFAULT_SIZES, graceMs = DEFAULT_GRACE_MS): Promise<ExpectedInsights> {
  const processed = await p.waitForProcessed(count);
  const expected = expectedInsights(processed, sizes, graceMs);
  const results = await p.waitForResults(expected.windows.keys());
  expect([...results].filter(([, r]) => r.length !== 1).map(([k]) => k)).toEqual([]);
  expect(new Map([...results].map(([k, [r]]) => [k, withoutEmittedAt(r)]))).toEqual(expected.windows);
  return expected;
}
