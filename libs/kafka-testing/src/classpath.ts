import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The Maven project that declares the broker's jars (same relative path from src/ and dist/). */
export const BROKER_POM = path.resolve(__dirname, '../maven/pom.xml');

/** A cold resolve downloads ~60 jars; give slow networks room but never hang forever. */
const MAVEN_TIMEOUT_MS = 10 * 60_000;

export interface ClasspathOptions {
  pomFile?: string;
  cacheDir?: string;
  /** The Maven executable, e.g. a wrapper script; default `mvn` from PATH. */
  mavenCommand?: string;
}

/** Changes whenever the pom does, so editing a version invalidates the cached classpath. */
export function classpathCacheKey(pomXml: string): string {
  return createHash('sha256').update(pomXml).digest('hex').slice(0, 16);
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'login-stream');
}

export function classpathCacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `kafka-broker-classpath-${key}.txt`);
}

/**
 * The broker's runtime classpath. Maven runs only when no cached classpath exists for this
 * pom (or a cached jar has vanished from the local repository); it takes seconds even warm.
 */
export async function resolveBrokerClasspath(options: ClasspathOptions = {}): Promise<string> {
  const pomFile = options.pomFile ?? BROKER_POM;
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const cacheFile = classpathCacheFile(cacheDir, classpathCacheKey(await readFile(pomFile, 'utf8')));

  const cached = await readClasspath(cacheFile);
  if (cached !== undefined && cached.split(path.delimiter).every((jar) => existsSync(jar))) {
    return cached;
  }

  await mkdir(cacheDir, { recursive: true });
  // Maven writes to a private file that is renamed into place, so concurrent callers never
  // read a half-written cache entry; the last rename wins with identical content.
  const partial = `${cacheFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await runMaven(options.mavenCommand ?? 'mvn', [
      '-q',
      '-B',
      '-f',
      pomFile,
      'dependency:build-classpath',
      `-Dmdep.outputFile=${partial}`,
      '-Dmdep.includeScope=runtime',
    ]);
    const classpath = await readClasspath(partial);
    if (classpath === undefined) {
      throw new Error(`Maven produced no classpath for ${pomFile}`);
    }
    await rename(partial, cacheFile);
    return classpath;
  } finally {
    await rm(partial, { force: true });
  }
}

async function readClasspath(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

function runMaven(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: MAVEN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolve();
        return;
      }
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `${command} was not found; install Maven 3.6+ (or set KAFKA_BROKERS to an existing broker)`
          : `${command} ${args.join(' ')} failed: ${error.message}\n${tail(`${stdout}${stderr}`)}`;
      reject(new Error(`Cannot resolve the Kafka broker classpath: ${reason}`));
    });
  });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
