import { loadDotEnv, loadGroupNames, loadPipelineConfig } from '@login-stream/config';
import { isLoginStreamError } from '@login-stream/errors';
import { createKafka, reachKafka } from '@login-stream/kafka';
import { createLogger } from '@login-stream/logger';
import { reconciliationReport } from '../format-report';
import { reconcile } from '../reconcile';
import type { ReadProgress } from '../reconcile';

/**
 * `npm run check [-- --json]`: reconciles the pipeline's topics as .env and the environment name
 * them. Exit 0: nothing missing or duplicated; 1: findings; 2: the check could not run.
 * The report goes to stdout, progress to stderr.
 */
async function main(): Promise<number> {
  loadDotEnv();
  const json = process.argv.slice(2).includes('--json');
  const pipeline = loadPipelineConfig();
  const groups = loadGroupNames();
  const logger = createLogger({ service: 'check', level: 'warn', destination: 2 });
  const kafka = createKafka(pipeline.kafka, logger);
  const admin = kafka.admin();
  await reachKafka(admin.connect(), { brokers: pipeline.kafka.brokers });
  const tty = process.stderr.isTTY;
  const read = new Map<string, ReadProgress>();
  let shownAt = 0;
  const showProgress = (progress: ReadProgress): void => {
    read.set(progress.topic, progress);
    const now = Date.now();
    if (now - shownAt < 1_000) return;
    shownAt = now;
    const line = [...read.values()].map((p) => `${p.topic} ${p.read.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}`).join(', ');
    process.stderr.write(tty ? `\r\x1b[Kreading ${line}` : `reading ${line}\n`);
  };
  try {
    const result = await reconcile({ kafka, admin, logger, topics: pipeline.topics, groups, onProgress: showProgress });
    if (tty && shownAt > 0) process.stderr.write('\r\x1b[K');
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${reconciliationReport(result, pipeline.topics.userLogin).join('\n')}\n`);
    return result.ok ? 0 : 1;
  } finally {
    await admin.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = isLoginStreamError(err) ? err.code : 'UNEXPECTED';
    process.stderr.write(`check failed (${code}): ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
