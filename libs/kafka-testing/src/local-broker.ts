import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { resolveBrokerClasspath } from './classpath';

const HOST = '127.0.0.1';
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
const PORT_ATTEMPTS = 3;
/** Test workloads are tiny, so start-up time matters more than peak throughput. */
const JVM_FLAGS = ['-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true'];

export interface LocalBrokerOptions {
  /** PLAINTEXT port on 127.0.0.1; default: any free port. */
  port?: number;
  /** Where the broker's own directory is created; default: the OS temp dir. */
  parentDir?: string;
  /** Keep the broker running after this process exits (`npm run kafka:up`). */
  detached?: boolean;
  readyTimeoutMs?: number;
}

export interface LocalBroker {
  readonly bootstrapServers: string;
  readonly pid: number;
  /** Holds config, logs and data; stop() removes it. */
  readonly dir: string;
  readonly stop: () => Promise<void>;
}

export interface ServerPropertiesInput {
  brokerPort: number;
  controllerPort: number;
  logDir: string;
}

export function renderServerProperties({ brokerPort, controllerPort, logDir }: ServerPropertiesInput): string {
  return renderProperties({
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${brokerPort},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${brokerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,
    // A single node: internal topics cannot ask for more replicas than exist.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'min.insync.replicas': 1,
    // Internal topics are created on first use, i.e. on the start-up path; keep them small.
    'offsets.topic.num.partitions': 1,
    'transaction.state.log.num.partitions': 1,
    'group.initial.rebalance.delay.ms': 0,
    // Topics must be created explicitly, as in production.
    'auto.create.topics.enable': false,
  });
}

/** Logs go to a size-capped file so the broker stays silent yet failures can show its log tail. */
export function renderLog4jProperties(logFile: string): string {
  return renderProperties({
    'log4j.rootLogger': 'INFO, file',
    'log4j.appender.file': 'org.apache.log4j.RollingFileAppender',
    'log4j.appender.file.File': logFile,
    'log4j.appender.file.MaxFileSize': '10MB',
    'log4j.appender.file.MaxBackupIndex': 1,
    'log4j.appender.file.layout': 'org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern': '[%d] %p %m (%c)%n',
  });
}

function renderProperties(entries: Record<string, string | number | boolean>): string {
  // Backslashes are escapes in Java properties files (and appear in Windows paths).
  return Object.entries(entries)
    .map(([key, value]) => `${key}=${String(value).replace(/\\/g, '\\\\')}\n`)
    .join('');
}

/** A Kafka Uuid: 16 random bytes in unpadded base64url, never starting with '-' (read as a CLI flag). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Starts a single-node KRaft broker JVM and resolves once it serves clients, transactions included. */
export async function startLocalBroker(options: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const classpath = await resolveBrokerClasspath();
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(classpath, options);
    } catch (error) {
      // A port found free can be taken before the JVM binds it; only then is a retry useful.
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launch(classpath: string, options: LocalBrokerOptions): Promise<LocalBroker> {
  const dir = await mkdtemp(path.join(options.parentDir ?? os.tmpdir(), 'kafka-broker-'));
  const files = {
    serverProperties: path.join(dir, 'server.properties'),
    log4jProperties: path.join(dir, 'log4j.properties'),
    brokerLog: path.join(dir, 'broker.log'),
    stdoutLog: path.join(dir, 'stdout.log'),
  };
  let broker: LocalBroker | undefined;
  try {
    const [brokerPort, controllerPort] = await pickPorts(options.port);
    const bootstrapServers = `${HOST}:${brokerPort}`;
    await writeFile(
      files.serverProperties,
      renderServerProperties({ brokerPort, controllerPort, logDir: path.join(dir, 'data') }),
    );
    await writeFile(files.log4jProperties, renderLog4jProperties(files.brokerLog));
    const jvmArgs = [...JVM_FLAGS, `-Dlog4j.configuration=${pathToFileURL(files.log4jProperties).href}`, '-cp', classpath];

    await runJava([...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', files.serverProperties]);
    const child = await spawnJava([...jvmArgs, 'kafka.Kafka', files.serverProperties], files.stdoutLog, options.detached);
    broker = supervise(child, dir, bootstrapServers, options.detached);

    try {
      await waitUntilReady(bootstrapServers, child, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    } catch (error) {
      const logs = await readLogs(files.brokerLog, files.stdoutLog);
      const message = `Local Kafka broker at ${bootstrapServers} did not become ready: ${(error as Error).message}\n${logExcerpt(logs)}`;
      throw /java\.net\.BindException/.test(logs) ? new PortTakenError(message) : new Error(message);
    }
    return broker;
  } catch (error) {
    await (broker ? broker.stop() : rm(dir, { recursive: true, force: true }));
    throw error;
  }
}

async function pickPorts(brokerPort: number | undefined): Promise<[number, number]> {
  const [first, second] = await freePorts(2);
  if (brokerPort === undefined) return [first, second];
  return [brokerPort, first === brokerPort ? second : first];
}

/** Ports the OS considers free right now; all are held at once so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => listen(0)));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function isPortFree(port: number): Promise<boolean> {
  try {
    const server = await listen(port);
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server));
  });
}

function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function javaMissing(): Error {
  return new Error(`${javaBin()} was not found: install a JDK 17+ (or fix JAVA_HOME), start a container runtime, or set KAFKA_BROKERS`);
}

function runJava(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(javaBin(), args, (error, stdout, stderr) => {
      if (!error) resolve();
      else if ((error as NodeJS.ErrnoException).code === 'ENOENT') reject(javaMissing());
      else reject(new Error(`java ${args.slice(-5).join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
    });
  });
}

async function spawnJava(args: string[], outputFile: string, detached = false): Promise<ChildProcess> {
  // Output goes to a file rather than a pipe, so a detached broker outlives us without blocking on a full pipe.
  const output = await open(outputFile, 'a');
  try {
    const child = spawn(javaBin(), args, { stdio: ['ignore', output.fd, output.fd], detached });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? javaMissing() : error;
    }
    if (detached) child.unref();
    return child;
  } finally {
    await output.close();
  }
}

/** The handle for a running broker; unless detached, also ties the broker's life to ours. */
function supervise(child: ChildProcess, dir: string, bootstrapServers: string, detached = false): LocalBroker {
  const pid = child.pid as number;
  const killNow = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    unhook();
    killNow();
    // Listening cancelled Node's default "die on signal"; restore it unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unhook = (): void => {
    process.off('exit', killNow);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (!detached) {
    process.once('exit', killNow);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    startWatchdog(pid, dir);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unhook();
      await terminate(child);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    })());
  return { bootstrapServers, pid, dir, stop };
}

/**
 * Exit hooks do not run when we are SIGKILLed or crash hard, so a detached Node process polls
 * its parent: once we are gone (its ppid changes) it stops the broker and removes its directory.
 */
const WATCHDOG_SOURCE = `
const [parentPid, brokerPid, graceMs] = process.argv.slice(1, 4).map(Number);
const dir = process.argv[4];
const fs = require('fs');
const procfs = fs.existsSync('/proc/self/stat');
// As isRunning() below: a zombie (exited, not yet reaped by init) counts as gone.
const alive = (pid) => {
  if (procfs) { try { return fs.readFileSync('/proc/' + pid + '/stat', 'utf8').split(') ').pop()[0] !== 'Z'; } catch { return false; } }
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
};
const signal = (name) => { try { process.kill(brokerPid, name); } catch {} };
const finish = () => { fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); };
const watch = setInterval(() => {
  const orphaned = process.ppid !== parentPid;
  if (!alive(brokerPid)) return orphaned ? finish() : process.exit(0);
  if (!orphaned) return;
  clearInterval(watch);
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  setInterval(() => {
    if (!alive(brokerPid)) finish();
    if (Date.now() < deadline) return;
    signal('SIGKILL');
    finish();
  }, 200);
}, 500);
`;

function startWatchdog(brokerPid: number, dir: string): void {
  spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(process.pid), String(brokerPid), String(STOP_GRACE_MS), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

async function terminate(child: ChildProcess): Promise<void> {
  const exited = exitOf(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), STOP_GRACE_MS);
  });
  if (await Promise.race([exited.then(() => false), timedOut])) child.kill('SIGKILL');
  clearTimeout(timer);
  await exited;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Ready means a client can fetch metadata and the group and transaction coordinators answer:
 * their internal topics are created on first use, which would otherwise land in the first test.
 */
async function waitUntilReady(bootstrapServers: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  const died = exitOf(child).then(() => {
    throw new Error(`the JVM exited (code ${child.exitCode}, signal ${child.signalCode})`);
  });
  died.catch(() => undefined); // only the race below cares, and only until it settles
  try {
    await Promise.race([probeUntilReady(bootstrapServers, abort.signal), died, timedOut]);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function probeUntilReady(bootstrapServers: string, signal: AbortSignal): Promise<void> {
  const client = (retries: number): Kafka =>
    new Kafka({
      clientId: 'kafka-testing-readiness',
      brokers: [bootstrapServers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { initialRetryTime: 50, maxRetryTime: 1_000, retries },
    });

  const probe = client(0);
  for (let backoff = 50; !(await clusterAnswers(probe)); backoff = Math.min(backoff * 2, 500)) {
    await delay(backoff, undefined, { signal });
  }
  if (signal.aborted) return;

  // Coordinator lookups are answered "not available" until the internal topic exists; kafkajs retries.
  const warm = client(20);
  const producer = warm.producer({ transactionalId: 'kafka-testing-readiness', idempotent: true, maxInFlightRequests: 1 });
  const admin = warm.admin();
  try {
    await producer.connect();
    await (await producer.transaction()).abort();
    await admin.connect();
    await admin.describeGroups(['kafka-testing-readiness']);
  } finally {
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  }
}

async function clusterAnswers(kafka: Kafka): Promise<boolean> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function readLogs(...files: string[]): Promise<string> {
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  return texts.join('\n');
}

/** The first errors (the cause; shutdown noise follows it) and the last lines of the logs. */
function logExcerpt(logs: string): string {
  const lines = logs.split('\n').filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => /\b(ERROR|FATAL)\b|Exception/.test(line)).slice(0, 10);
  return ['--- first errors in the broker log ---', ...errors, '--- last lines ---', ...lines.slice(-20)].join('\n');
}

/** True when `pid` is alive and is the broker whose directory is `dir` (pids get reused). */
export function isBrokerProcess(pid: number, dir: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('ps', ['-ww', '-o', 'args=', '-p', String(pid)], (error, stdout) =>
      resolve(!error && stdout.includes(path.join(dir, 'server.properties'))),
    );
  });
}

/** Stops a broker started by another process (see `npm run kafka:down`) and removes its directory. */
export async function stopBrokerProcess(pid: number, dir: string): Promise<void> {
  if (await isBrokerProcess(pid, dir)) {
    signalIfAlive(pid, 'SIGTERM');
    if (!(await exitedWithin(pid, STOP_GRACE_MS))) {
      signalIfAlive(pid, 'SIGKILL');
      await exitedWithin(pid, STOP_GRACE_MS);
    }
  }
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Not our child, so there is no exit event: poll with a short backoff. */
async function exitedWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let backoff = 20; Date.now() < deadline; backoff = Math.min(backoff * 2, 250)) {
    if (!isRunning(pid)) return true;
    await delay(backoff);
  }
  return false;
}

const HAS_PROCFS = existsSync('/proc/self/stat');

/**
 * Whether `pid` still runs. A zombie (exited, waiting for its parent or init to reap it, which
 * some inits do only every second or so) holds no ports or files, so it counts as gone.
 */
function isRunning(pid: number): boolean {
  if (HAS_PROCFS) {
    try {
      // The state letter follows the parenthesised command name, which may itself contain ") ".
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()?.[0] !== 'Z';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
