import { DEAD_LETTER_HEADERS, formatLineage, LINEAGE_HEADER } from '@login-stream/schema';
import { LineageCheck } from './lineage-check';

const processed = (partition: number, offset: number, topic = 'user-login') => ({ [LINEAGE_HEADER]: Buffer.from(formatLineage(topic, partition, String(offset))) });
const deadLetter = (partition: number, offset: number, topic = 'user-login') => ({
  [DEAD_LETTER_HEADERS.sourceTopic]: Buffer.from(topic),
  [DEAD_LETTER_HEADERS.sourcePartition]: Buffer.from(String(partition)),
  [DEAD_LETTER_HEADERS.sourceOffset]: Buffer.from(String(offset)),
});

describe('the lineage check of the processor', () => {
  it('when every offset below the committed one is in exactly one output, then it is ok, and what lies beyond is in flight', () => {
    const check = new LineageCheck('user-login', [{ partition: 0, low: 0, committed: 4, high: 6 }]);
    for (const offset of [0, 2, 3]) check.addProcessed(processed(0, offset));
    check.addDeadLetter(deadLetter(0, 1));
    // Processed after the committed offsets were read: outside the checked range, not a duplicate.
    check.addProcessed(processed(0, 4));
    expect(check.report()).toMatchObject({ ok: true, checked: 4, missing: 0, duplicated: 0, inFlight: 2, processed: 4, deadLettered: 1 });
  });

  it('when an offset is in neither output, then it is missing, named with its partition', () => {
    const check = new LineageCheck('user-login', [
      { partition: 0, low: 0, committed: 3, high: 3 },
      { partition: 1, low: 10, committed: 13, high: 13 },
    ]);
    for (const offset of [0, 1, 2]) check.addProcessed(processed(0, offset));
    for (const offset of [10, 12]) check.addProcessed(processed(1, offset));
    const report = check.report();
    expect(report).toMatchObject({ ok: false, missing: 1, duplicated: 0 });
    expect(report.partitions[1]).toMatchObject({ partition: 1, missing: 1, missingOffsets: [11] });
    expect(report.partitions[0]).toMatchObject({ missing: 0, missingOffsets: [] });
  });

  it('when an offset is in both outputs or twice in one, then it is duplicated', () => {
    const check = new LineageCheck('user-login', [{ partition: 0, low: 0, committed: 3, high: 3 }]);
    check.addProcessed(processed(0, 0));
    check.addDeadLetter(deadLetter(0, 0));
    check.addProcessed(processed(0, 1));
    check.addProcessed(processed(0, 1));
    check.addProcessed(processed(0, 1));
    check.addProcessed(processed(0, 2));
    expect(check.report()).toMatchObject({ ok: false, missing: 0, duplicated: 2, partitions: [{ duplicatedOffsets: [0, 1] }] });
  });

  it('when dead letters come from another stage (another source topic), then they are not counted; processed records without a lineage are counted as unattributed', () => {
    const check = new LineageCheck('user-login', [{ partition: 0, low: 0, committed: 1, high: 1 }]);
    check.addProcessed(processed(0, 0));
    check.addDeadLetter(deadLetter(0, 0, 'processed-logins'));
    check.addProcessed({});
    check.addProcessed(processed(0, 0, 'other-input'));
    expect(check.report()).toMatchObject({ ok: true, deadLettered: 0, unattributed: 2, processed: 3 });
  });

  it('when the input was trimmed by retention, then only offsets from its earliest one are checked', () => {
    const check = new LineageCheck('user-login', [{ partition: 0, low: 100, committed: 102, high: 102 }]);
    for (const offset of [3, 100, 101]) check.addProcessed(processed(0, offset));
    expect(check.report()).toMatchObject({ ok: true, checked: 2 });
  });

  it('when more than ten offsets are missing, then ten are named and all are counted', () => {
    const check = new LineageCheck('user-login', [{ partition: 0, low: 0, committed: 25, high: 25 }]);
    expect(check.report().partitions[0]).toMatchObject({ missing: 25, missingOffsets: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });
});
