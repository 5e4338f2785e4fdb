import type { OutboundMessage } from '../message';
import { simulatedClock } from './event-clock';
import { createLoginGenerator } from './login-generator';
import type { LoginGeneratorOptions } from './login-generator';

export interface GenerateSettings extends Omit<LoginGeneratorOptions, 'clock'> {
  /** Stop after this many; run until stopped when undefined. */
  readonly count?: number;
  /** Events per second; also how fast simulated time runs when `startMs` is set. */
  readonly rate: number;
  /**
   * Event time of the first login. Unset: logins carry the wall-clock time they are made at.
   * Set: time is simulated from here, so the same seed and start give the same logins.
   */
  readonly startMs?: number;
}

/** Simulated time has no sending rate to follow at `--rate max`; it then runs at this many logins/s. */
const SIMULATED_RATE_AT_MAX = 1_000;

export function* generatedMessages(settings: GenerateSettings): Generator<OutboundMessage> {
  const clock =
    settings.startMs === undefined
      ? Date.now
      : simulatedClock(settings.startMs, Number.isFinite(settings.rate) ? settings.rate : SIMULATED_RATE_AT_MAX);
  const generator = createLoginGenerator({ ...settings, clock });
  for (let i = 0; settings.count === undefined || i < settings.count; i++) {
    yield generator.nextMessage();
  }
}
