import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertKafkajsPatched, installedKafkajs, PATCHES_DIR, unpatchedKafkajsFiles } from './kafkajs-patch';

describe('the kafkajs patch check', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kafkajs-patch-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('when kafkajs was installed with its postinstall (npm ci), then no file lacks the patch and the check passes', () => {
    expect(unpatchedKafkajsFiles(installedKafkajs())).toEqual([]);
    expect(() => assertKafkajsPatched()).not.toThrow();
  });

  it('when a patched file lost one line of the patch, then exactly that file is named', () => {
    const kafkajs = installedKafkajs();
    const copy = tempDir();
    cpSync(path.join(kafkajs.packageDir, 'src'), path.join(copy, 'src'), { recursive: true });
    const batch = path.join(copy, 'src/consumer/batch.js');
    const lines = readFileSync(batch, 'utf8').split('\n');
    const patched = lines.findIndex((l) => l.includes('login-stream patch'));
    expect(patched).toBeGreaterThanOrEqual(0);
    writeFileSync(batch, lines.filter((_, i) => i !== patched).join('\n'));
    expect(unpatchedKafkajsFiles({ patchFile: kafkajs.patchFile, packageDir: copy })).toEqual(['src/consumer/batch.js']);
  });

  it('when kafkajs is installed without the patch, then every patched file is named', () => {
    const { patchFile } = installedKafkajs();
    const files = [...readFileSync(patchFile, 'utf8').matchAll(/^\+\+\+ b\/node_modules\/kafkajs\/(.+)$/gm)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    expect(unpatchedKafkajsFiles({ patchFile, packageDir: tempDir() })).toEqual(files);
  });

  it('when the patches directory has no patch for the installed version, then the check refuses with DEPENDENCY_UNPATCHED', () => {
    expect(PATCHES_DIR.endsWith('patches')).toBe(true);
    expect(() => assertKafkajsPatched(tempDir())).toThrow(expect.objectContaining({ code: 'DEPENDENCY_UNPATCHED' }) as Error);
  });
});
