import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { classpathCacheFile, classpathCacheKey, resolveBrokerClasspath } from './classpath';

describe('classpathCacheKey', () => {
  test('when the pom is unchanged, then the key is the same', () => {
    expect(classpathCacheKey('<project/>')).toBe(classpathCacheKey('<project/>'));
  });

  test('when the pom changes, then the key changes', () => {
    expect(classpathCacheKey('<version>3.9.1</version>')).not.toBe(classpathCacheKey('<version>3.9.2</version>'));
  });
});

describe('resolveBrokerClasspath', () => {
  let dir: string;
  let pomFile: string;
  let cacheDir: string;
  // A Maven that does not exist: any attempt to run it fails loudly.
  const missingMaven = path.join(os.tmpdir(), 'no-such-maven');

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'classpath-test-'));
    pomFile = path.join(dir, 'pom.xml');
    cacheDir = path.join(dir, 'cache');
    await writeFile(pomFile, '<project/>');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function cache(entries: string[]): Promise<string> {
    const classpath = entries.join(path.delimiter);
    const file = classpathCacheFile(cacheDir, classpathCacheKey('<project/>'));
    await mkdir(cacheDir, { recursive: true });
    await writeFile(file, `${classpath}\n`);
    return classpath;
  }

  test('when a classpath is cached for this pom and its jars exist, then it is returned without Maven', async () => {
    const jar = path.join(dir, 'a.jar');
    await writeFile(jar, '');
    const classpath = await cache([jar, pomFile]);

    await expect(resolveBrokerClasspath({ pomFile, cacheDir, mavenCommand: missingMaven })).resolves.toBe(classpath);
  });

  test('when a cached jar has vanished, then Maven is asked again', async () => {
    await cache([path.join(dir, 'gone.jar')]);

    await expect(resolveBrokerClasspath({ pomFile, cacheDir, mavenCommand: missingMaven })).rejects.toThrow(/no-such-maven was not found/);
  });

  test('when nothing is cached, then Maven resolves once and later calls reuse its answer', async () => {
    const jar = path.join(dir, 'kafka.jar');
    await writeFile(jar, '');
    const fakeMaven = path.join(dir, 'fake-mvn');
    // Writes the classpath where dependency:build-classpath would: -Dmdep.outputFile=<file>.
    await writeFile(
      fakeMaven,
      `#!/bin/sh\nfor arg; do case "$arg" in -Dmdep.outputFile=*) printf %s '${jar}' > "\${arg#*=}";; esac; done\n`,
    );
    await chmod(fakeMaven, 0o755);

    const concurrent = await Promise.all([1, 2, 3].map(() => resolveBrokerClasspath({ pomFile, cacheDir, mavenCommand: fakeMaven })));
    const later = await resolveBrokerClasspath({ pomFile, cacheDir, mavenCommand: missingMaven });

    expect(concurrent).toEqual([jar, jar, jar]);
    expect(later).toBe(jar);
    expect(await readdir(cacheDir)).toEqual([path.basename(classpathCacheFile(cacheDir, classpathCacheKey('<project/>')))]);
  });
});
