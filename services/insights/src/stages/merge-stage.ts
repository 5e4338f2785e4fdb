import type { BatchHandler, CommittedPosition, OutputRecord, StageHandler } from '@login-stream/exactly-once';
import type { Logger } from '@login-stream/logger';
import { windowInsightsKey } from '@login-stream/schema';
import type { KafkaMessage, Message } from 'kafkajs';
import { readLogin } from '../input/read-login';
import { lateRecord, readInternalRecord, windowKey, windowOfKey } from '../merge/internal-records';
import { MergedWindows } from '../merge/merged-windows';
import type { EmittedWindow, MergeRules } from '../merge/merged-windows';
import type { InsightsStats } from '../stats';
import { windowInsights } from '../windows/window-aggregate';
import type { WindowSize } from '../windows/window-size';
import { decodeMergeCheckpoint, encodeMergeCheckpoint } from './checkpoints';

export interface MergeTopics {
  readonly partials: string;
  readonly results: string;
  readonly late: string;
}

export interface MergeHandlerOptions {
  readonly topics: MergeTopics;
  readonly sizes: readonly WindowSize[];
  readonly rules: MergeRules;
  /** Reads the partials topic in [from, until) and hands over each message, in order. */
  readonly readPartials: (from: string, until: string, onMessage: (message: KafkaMessage) => void) => Promise<void>;
  readonly stats: InsightsStats;
  readonly logger: Logger;
  readonly clock?: () => number;
}

const asRecord = (m: Message): OutputRecord => m as OutputRecord;

/**
 * The merge stage: one lane over the partials topic's single partition. Partials and
 * stragglers are merged into their windows; each mark may complete windows, which go to
 * `login-insights`; a straggler for a window already final goes to the late topic, with the
 * windows its own partition had found it late for.
 */
export function createMergeHandler(options: MergeHandlerOptions): StageHandler<MergedWindows> {
  const { topics, sizes, rules, stats, logger } = options;
  const clock = options.clock ?? Date.now;
  const sizeOrder = (key: string) => sizes.findIndex((s) => key.startsWith(`${s.label}:`));
  const refsOf = (keys: readonly string[]) => keys.flatMap((key) => windowOfKey(key, sizes) ?? []);

  async function restore(position: CommittedPosition): Promise<MergedWindows> {
    if (position.metadata === undefined) {
      if (position.offset !== undefined) logger.warn({ offset: position.offset }, 'the merge group has an offset but no checkpoint (offsets reset by a tool?): the merge starts afresh there');
      return new MergedWindows(rules);
    }
    const saved = decodeMergeCheckpoint(position.metadata);
    const merged = new MergedWindows(rules, saved);
    let replayed = 0;
    await options.readPartials(saved.replayFrom, position.offset ?? saved.replayFrom, (message) => {
      const record = readInternalRecord(message);
      const offset = BigInt(message.offset);
      if (record.kind === 'partial') {
        const ref = windowOfKey(record.window, sizes);
        if (ref !== undefined) merged.replayPartial(ref, record.merge, offset);
      } else if (record.kind === 'straggler') {
        const read = readLogin(message.value, message.headers);
        if (!('rejections' in read)) merged.replayStraggler(read.login, refsOf(record.released), offset);
      }
      replayed++;
    });
    logger.info({ from: saved.replayFrom, until: position.offset, replayed, openWindows: merged.openWindows }, 'merge restored');
    return merged;
  }

  const result = (w: EmittedWindow, emittedAtMs: number): OutputRecord => {
    const value = windowInsights(w.size, w.startMs, w.summary, emittedAtMs);
    return asRecord({ topic: topics.results, key: windowInsightsKey(value.window_size, value.window_start), value: JSON.stringify(value) } as Message);
  };

  return {
    restore: (partitions, positions) => Promise.all(partitions.map((_, i) => restore(positions[i]))),

    batch(merged): BatchHandler {
      const emitted: EmittedWindow[] = [];
      let late = 0;
      const lateWindows: string[] = [];
      return {
        record(message) {
          const record = readInternalRecord(message);
          const offset = BigInt(message.offset);
          switch (record.kind) {
            case 'unreadable':
              return { rejections: [{ code: 'PROCESSING_ERROR', message: `a record of the insights partials topic cannot be read: ${record.why}` }] };
            case 'partial': {
              const ref = windowOfKey(record.window, sizes);
              // Either would be lost from every result: dead-lettered, where it can be seen and replayed.
              if (ref === undefined) {
                return { rejections: [{ code: 'PROCESSING_ERROR', message: `a partial of ${record.window}, a window size no longer configured (${sizes.map((s) => s.label).join(',')})` }] };
              }
              if (merged.isFinal(ref)) {
                // A partial always precedes the mark that closes its window: only a tampered topic gets here.
                return { rejections: [{ code: 'PROCESSING_ERROR', message: `a partial of ${record.window} from partition ${record.source}, a window already emitted` }] };
              }
              return { outputs: [], accept: () => merged.addPartial(ref, record.merge, offset) };
            }
            case 'straggler': {
              const read = readLogin(message.value, message.headers);
              if ('rejections' in read) return read;
              const released = refsOf(record.released);
              const final = released.filter((ref) => merged.isFinal(ref));
              const counted = released.filter((ref) => !merged.isFinal(ref));
              const missed = [...record.late, ...final.map(windowKey)].sort((a, b) => sizeOrder(a) - sizeOrder(b));
              const accept = () => merged.addStraggler(read.login, counted, offset);
              if (missed.length === 0) return { outputs: [], accept };
              // Counted only once its late record is taken: one the late topic refuses is a dead letter instead.
              const acceptLate = () => {
                accept();
                late++;
                lateWindows.push(...missed);
              };
              return { outputs: [asRecord(lateRecord(topics.late, message, missed, record.behindMs))], accept: acceptLate };
            }
            case 'mark': {
              const done = merged.mark(record.source, record.mark);
              emitted.push(...done);
              const nowMs = clock();
              return { outputs: done.map((w) => result(w, nowMs)) };
            }
          }
        },
        checkpoint: (next) => encodeMergeCheckpoint({ ...merged.checkpoint(), replayFrom: merged.firstOpenOffset()?.toString() ?? next }),
        committed() {
          for (const w of emitted) {
            logger.info({ windowSize: w.size.label, windowStart: new Date(w.startMs).toISOString(), logins: w.summary.logins, uniqueUsers: w.summary.users }, 'window emitted');
          }
          stats.addEmitted(emitted.map((w) => w.size.label));
          stats.addLate(late, lateWindows);
          stats.setOpen('merge', 0, merged.openWindows);
        },
      };
    },
  };
}
