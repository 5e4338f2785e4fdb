import type { GeneratedLogin } from './generate/bad-logins';

/** A message for `user-login`, encoded once so batching can count its bytes. */
export interface OutboundMessage {
  /** The user id, so a user's logins stay in order on one partition; null when there is none. */
  readonly key: Buffer | null;
  readonly value: Buffer;
  /** Not JSON; sent anyway so the processor dead-letters it. */
  readonly malformed: boolean;
}

function keyOf(record: unknown): Buffer | null {
  if (typeof record !== 'object' || record === null) return null;
  const userId = (record as { user_id?: unknown }).user_id;
  if (typeof userId === 'string' && userId !== '') return Buffer.from(userId);
  if (typeof userId === 'number') return Buffer.from(String(userId));
  return null;
}

/** A parsed record; `original` (its exact input bytes) is sent as is when given. */
export function encodeRecord(record: unknown, original?: Buffer): OutboundMessage {
  return { key: keyOf(record), value: original ?? Buffer.from(JSON.stringify(record)), malformed: false };
}

export function encodeMalformed(bytes: Buffer): OutboundMessage {
  return { key: null, value: bytes, malformed: true };
}

export function encodeGenerated(login: GeneratedLogin): OutboundMessage {
  return 'bytes' in login ? encodeMalformed(login.bytes) : encodeRecord(login.record);
}
