export { createLogger } from './create-logger';
export type { Logger, LoggerOptions } from './create-logger';
export { logPeriodically } from './log-periodically';
