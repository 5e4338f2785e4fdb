import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomClusterId, renderLog4jProperties, renderServerProperties } from './broker-properties';
import { exitOf, terminate } from './broker-process';
import { waitUntilReady } from './broker-readiness';
import { startWatchdog } from './broker-watchdog';
import { resolveBrokerClasspath } from './classpath';
import { runJava, spawnJava } from './java';
import { BROKER_HOST, pickPorts } from './ports';

const DEFAULT_READY_TIMEOUT_MS = 60_000;
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
  /** The running JVM's; a new one after restart(). */
  readonly pid: number;
  /** Holds config, logs and data; stop() removes it. */
  readonly dir: string;
  readonly stop: () => Promise<void>;
  /** SIGKILLs the broker and keeps its data, as a crash would; clients see it go away mid-request. */
  readonly kill: () => Promise<void>;
  /** Starts the broker again on the same data directory and ports; resolves once it serves clients. */
  readonly restart: () => Promise<void>;
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
  let broker: ReturnType<typeof supervise> | undefined;
  try {
    const [brokerPort, controllerPort] = await pickPorts(options.port);
    const bootstrapServers = `${BROKER_HOST}:${brokerPort}`;
    await writeFile(
      files.serverProperties,
      renderServerProperties({ brokerPort, controllerPort, logDir: path.join(dir, 'data') }),
    );
    await writeFile(files.log4jProperties, renderLog4jProperties(files.brokerLog));
    const jvmArgs = [...JVM_FLAGS, `-Dlog4j.configuration=${pathToFileURL(files.log4jProperties).href}`, '-cp', classpath];

    await runJava([...jvmArgs, 'kafka.tools.StorageTool', 'format', '-t', randomClusterId(), '-c', files.serverProperties]);
    const spawnBroker = () => spawnJava([...jvmArgs, 'kafka.Kafka', files.serverProperties], files.stdoutLog, options.detached);
    const ready = async (child: ChildProcess): Promise<void> => {
      try {
        await waitUntilReady(bootstrapServers, child, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
      } catch (error) {
        const logs = await readLogs(files.brokerLog, files.stdoutLog);
        const message = `Local Kafka broker at ${bootstrapServers} did not become ready: ${(error as Error).message}\n${logExcerpt(logs)}`;
        throw /java\.net\.BindException/.test(logs) ? new PortTakenError(message) : new Error(message);
      }
    };
    broker = supervise(await spawnBroker(), dir, bootstrapServers, { detached: options.detached, spawnBroker, ready });
    await ready(broker.child());
    return broker;
  } catch (error) {
    await (broker ? broker.stop() : rm(dir, { recursive: true, force: true }));
    throw error;
  }
}

interface Respawn {
  readonly detached?: boolean;
  readonly spawnBroker: () => Promise<ChildProcess>;
  readonly ready: (child: ChildProcess) => Promise<void>;
}

/** The handle for a running broker; unless detached, also ties the broker's life to ours. */
function supervise(first: ChildProcess, dir: string, bootstrapServers: string, respawn: Respawn): LocalBroker & { child: () => ChildProcess } {
  const detached = respawn.detached ?? false;
  let child = first;
  const killNow = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    // Another handler means a graceful shutdown is under way (the demo's): its clients still
    // need the broker to flush and commit, and it stops the broker last. The exit hook and
    // the watchdog still cover it dying before then.
    if (process.listenerCount(signal) > 1) return;
    unhook();
    killNow();
    // Listening cancelled Node's default "die on signal"; restore it.
    process.kill(process.pid, signal);
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
    startWatchdog(child.pid as number, dir);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      unhook();
      await terminate(child);
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    })());
  const kill = async (): Promise<void> => {
    const exited = exitOf(child);
    child.kill('SIGKILL');
    await exited;
  };
  const restart = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) throw new Error('the broker is still running; kill() it first');
    child = await respawn.spawnBroker();
    // The previous watchdog left with its broker; this one watches the new JVM.
    if (!detached) startWatchdog(child.pid as number, dir);
    await respawn.ready(child);
  };
  return {
    bootstrapServers,
    get pid() {
      return child.pid as number;
    },
    dir,
    stop,
    kill,
    restart,
    child: () => child,
  };
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

