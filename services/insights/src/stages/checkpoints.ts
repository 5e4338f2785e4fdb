import { LoginStreamError } from '@login-stream/errors';
import type { MergeCheckpoint } from '../merge/merged-windows';
import type { SourceMark } from '../merge/source-mark';
import type { WindowsCheckpoint } from '../windows/partition-windows';

/**
 * The checkpoints the insights stages commit as their group's offset metadata, so each one is
 * exactly as old as the offset it sits on. Kept small: the broker's offset.metadata.max.bytes
 * (4096 by default) bounds them.
 */
export interface WindowingCheckpoint extends WindowsCheckpoint {
  readonly idle: boolean;
  /** The input offset restore replays from. */
  readonly replayFrom: string;
}

export interface MergeStageCheckpoint extends MergeCheckpoint {
  readonly replayFrom: string;
}

const ms = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));
const offset = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);

function unreadable(what: string, metadata: string, why: string): LoginStreamError {
  return new LoginStreamError('STATE_RESTORE_FAILED', `the ${what} checkpoint committed with the group's offset cannot be read: ${why}; only the insights service may commit for its groups`, {
    details: { metadata: metadata.slice(0, 200) },
  });
}

function parse(what: string, metadata: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(metadata);
    if (typeof value === 'object' && value !== null && (value as { v?: unknown }).v === 1) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw unreadable(what, metadata, 'not a version 1 checkpoint');
}

export function encodeWindowingCheckpoint(c: WindowingCheckpoint): string {
  return JSON.stringify({ v: 1, stream_time_ms: c.streamTimeMs, released_through_ms: c.releasedThroughMs, idle: c.idle, replay_from: c.replayFrom });
}

export function decodeWindowingCheckpoint(metadata: string): WindowingCheckpoint {
  const c = parse('windowing', metadata);
  if (!ms(c.stream_time_ms) || !ms(c.released_through_ms) || typeof c.idle !== 'boolean' || !offset(c.replay_from)) throw unreadable('windowing', metadata, 'a field is missing or malformed');
  return { streamTimeMs: c.stream_time_ms, releasedThroughMs: c.released_through_ms, idle: c.idle, replayFrom: c.replay_from };
}

export function encodeMergeCheckpoint(c: MergeStageCheckpoint): string {
  // Marks as arrays, [partition, stream time, released through, idle, at]: the metadata is bounded.
  const marks = [...c.marks].map(([p, m]) => [p, m.streamTimeMs, m.releasedThroughMs, m.idle ? 1 : 0, m.atMs]);
  return JSON.stringify({ v: 1, emitted_through_ms: c.emittedThroughMs, marks, replay_from: c.replayFrom });
}

export function decodeMergeCheckpoint(metadata: string): MergeStageCheckpoint {
  const c = parse('merge', metadata);
  if (!ms(c.emitted_through_ms) || !offset(c.replay_from) || !Array.isArray(c.marks)) throw unreadable('merge', metadata, 'a field is missing or malformed');
  const marks = new Map<number, SourceMark>();
  for (const entry of c.marks as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 5) throw unreadable('merge', metadata, 'a mark is malformed');
    const [p, streamTimeMs, releasedThroughMs, idle, atMs] = entry as unknown[];
    if (typeof p !== 'number' || !ms(streamTimeMs) || !ms(releasedThroughMs) || (idle !== 0 && idle !== 1) || typeof atMs !== 'number') throw unreadable('merge', metadata, 'a mark is malformed');
    marks.set(p, { streamTimeMs, releasedThroughMs, idle: idle === 1, atMs });
  }
  return { emittedThroughMs: c.emitted_through_ms, marks, replayFrom: c.replay_from };
}
