import type { BatchHandler, CommittedPosition, OutputRecord, RecordOutcome, StageHandler, TickWork } from '@login-stream/exactly-once';
import type { Logger } from '@login-stream/logger';
import type { KafkaMessage, Message } from 'kafkajs';
import { readLogin } from '../input/read-login';
import { lateRecord, markRecord, partialRecords, stragglerRecord, summaryRecords, windowKey } from '../merge/internal-records';
import type { InsightsStats } from '../stats';
import { PartitionWindows } from '../windows/partition-windows';
import { summarize } from '../windows/window-aggregate';
import type { WindowingRules } from '../windows/partition-windows';
import { decodeWindowingCheckpoint, encodeWindowingCheckpoint } from './checkpoints';

export interface WindowingTopics {
  readonly input: string;
  readonly partials: string;
  readonly late: string;
}

export interface WindowingSettings {
  readonly rules: WindowingRules;
  /** A caught-up partition that received nothing for this long is idle. */
  readonly idleMs: number;
  /** While idle, a partition marks that it still is this often, for the merge's idle wait. */
  readonly idleMarkIntervalMs: number;
}

/** One input partition's windows and what the lane last told the merge. */
export interface WindowingLane {
  readonly partition: number;
  readonly windows: PartitionWindows;
  idle: boolean;
  lastMarkAtMs: number;
  /** `closingSteps()` as of the last mark. */
  markedSteps: string;
}

/** Reads a partition's input in [from, until) and hands over each message, in order. */
export type ReadInput = (partition: number, from: string, until: string, onMessage: (message: KafkaMessage) => void) => Promise<void>;

export interface WindowingHandlerOptions {
  readonly topics: WindowingTopics;
  readonly settings: WindowingSettings;
  readonly readInput: ReadInput;
  readonly stats: InsightsStats;
  readonly logger: Logger;
}

const asRecord = (m: Message): OutputRecord => m as OutputRecord;
const NOTHING: RecordOutcome = Object.freeze({ outputs: [] });

/**
 * The windowing stage: each processed-logins partition's windows. A login counts in its open
 * windows; one late for a size goes to the late topic; one whose window this partition released
 * while idle goes to the merge as a straggler. Windows the partition closes go to the partials
 * topic, then a mark of its progress, in the batch's (or tick's) transaction.
 */
export function createWindowingHandler(options: WindowingHandlerOptions): StageHandler<WindowingLane> {
  const { topics, settings, stats, logger } = options;

  const mark = (lane: WindowingLane, idle: boolean, atMs: number): OutputRecord =>
    asRecord(markRecord(topics.partials, lane.partition, { ...lane.windows.checkpoint(), idle, atMs }));

  const closedRecords = (lane: WindowingLane): OutputRecord[] =>
    lane.windows
      .takeClosed()
      .flatMap((w) => (w.released ? partialRecords(topics.partials, lane.partition, w, w.partial) : summaryRecords(topics.partials, lane.partition, w, summarize(w.partial))).map(asRecord));

  /** `next` is the offset the transaction commits: restore replays nothing when no window is open. */
  const checkpoint = (lane: WindowingLane, idle: boolean, next: string): string =>
    encodeWindowingCheckpoint({ ...lane.windows.checkpoint(), idle, replayFrom: lane.windows.firstOpenOffset()?.toString() ?? next });

  async function restoreOne(partition: number, position: CommittedPosition): Promise<WindowingLane> {
    const fresh = (windows: PartitionWindows, idle = false): WindowingLane => ({ partition, windows, idle, lastMarkAtMs: 0, markedSteps: windows.closingSteps() });
    if (position.metadata === undefined) {
      if (position.offset !== undefined) logger.warn({ partition, offset: position.offset }, 'the group has an offset but no windowing checkpoint (offsets reset by a tool?): windowing starts afresh there');
      return fresh(new PartitionWindows(settings.rules));
    }
    const saved = decodeWindowingCheckpoint(position.metadata);
    const windows = new PartitionWindows(settings.rules, saved);
    const until = position.offset ?? saved.replayFrom;
    let replayed = 0;
    const startedAt = Date.now();
    await options.readInput(partition, saved.replayFrom, until, (message) => {
      const read = readLogin(message.value, message.headers);
      if ('rejections' in read) return;
      windows.replay(read.login, read.eventTimeMs, message.offset);
      replayed++;
    });
    logger.info({ partition, from: saved.replayFrom, until, replayed, openWindows: windows.openWindows, durationMs: Date.now() - startedAt }, 'windows restored');
    return fresh(windows, saved.idle);
  }

  return {
    restore: (partitions, positions) => Promise.all(partitions.map((p, i) => restoreOne(p, positions[i]))),

    batch(lane, { now }): BatchHandler {
      const nowMs = Date.parse(now);
      let taken = 0;
      let late = 0;
      const lateWindows: string[] = [];
      let stragglers = 0;
      let steps = lane.markedSteps;
      let marked = false;
      let lastEventTimeMs: number | undefined;
      return {
        record(message) {
          const read = readLogin(message.value, message.headers);
          if ('rejections' in read) return read;
          lastEventTimeMs = read.eventTimeMs;
          // Nothing to write for a login on time for every size, so nothing can refuse it: counted at once.
          if (lane.windows.addIfOnTime(read.login, read.eventTimeMs, message.offset)) {
            taken++;
            return NOTHING;
          }
          const placement = lane.windows.place(read.eventTimeMs);
          const accept = () => {
            lane.windows.add(read.login, read.eventTimeMs, message.offset, placement);
            taken++;
          };
          if (placement.released.length > 0) {
            stragglers++;
            return { outputs: [asRecord(stragglerRecord(topics.partials, lane.partition, message, placement.released, placement.late, placement.behindMs))], accept };
          }
          if (placement.late.length > 0) {
            const missed = placement.late.map(windowKey);
            // Counted only once its late record is taken: one the late topic refuses is a dead letter instead.
            const acceptLate = () => {
              accept();
              late++;
              lateWindows.push(...missed);
            };
            return { outputs: [asRecord(lateRecord(topics.late, message, missed, String(placement.behindMs)))], accept: acceptLate };
          }
          return { outputs: [], accept };
        },
        finish() {
          const records = closedRecords(lane);
          steps = lane.windows.closingSteps();
          // The merge hears of every step of stream time (windows close there whether or not
          // this partition held them) and of waking up.
          marked = records.length > 0 || steps !== lane.markedSteps || lane.idle;
          if (marked) records.push(mark(lane, false, nowMs));
          return records;
        },
        checkpoint: (next) => checkpoint(lane, false, next),
        lastEventTimeMs: () => lastEventTimeMs,
        committed() {
          if (marked) lane.lastMarkAtMs = nowMs;
          lane.markedSteps = steps;
          lane.idle = false;
          stats.eventsIn += taken;
          stats.addLate(late, lateWindows);
          stats.stragglers += stragglers;
          stats.setOpen('windowing', lane.partition, lane.windows.openWindows);
        },
      };
    },

    tick(lane, { nowMs, caughtUp, lastInputAtMs, position }): TickWork | undefined {
      if (!caughtUp || nowMs - lastInputAtMs < settings.idleMs) return undefined;
      const due = !lane.idle || nowMs - lane.lastMarkAtMs >= settings.idleMarkIntervalMs || lane.windows.hasWindowsClosingBy(nowMs);
      if (!due) return undefined;
      lane.windows.release(nowMs);
      const outputs = [...closedRecords(lane), mark(lane, true, nowMs)];
      return {
        outputs,
        checkpoint: checkpoint(lane, true, position),
        committed() {
          lane.idle = true;
          lane.lastMarkAtMs = nowMs;
          stats.setOpen('windowing', lane.partition, lane.windows.openWindows);
        },
      };
    },
  };
}
