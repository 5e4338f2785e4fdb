import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LoginStreamError } from '@login-stream/errors';

/** Where `npm install` takes the kafkajs patch from (patch-package); the same path from src/ and dist/. */
export const PATCHES_DIR = path.resolve(__dirname, '../../../patches');

export interface KafkajsPatchLocation {
  /** The patch for the installed version. */
  readonly patchFile: string;
  /** The installed kafkajs package directory. */
  readonly packageDir: string;
}

/** The installed kafkajs and the patch file named after its version. */
export function installedKafkajs(patchesDir = PATCHES_DIR): KafkajsPatchLocation & { readonly version: string } {
  const manifest = require.resolve('kafkajs/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { version, packageDir: path.dirname(manifest), patchFile: path.join(patchesDir, `kafkajs+${version}.patch`) };
}

/**
 * The files of kafkajs that lack some line the patch adds to them: none when the patch is
 * applied. The patch itself says what to look for, so it stays the one source of truth.
 */
export function unpatchedKafkajsFiles({ patchFile, packageDir }: KafkajsPatchLocation): string[] {
  const added = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of readFileSync(patchFile, 'utf8').split('\n')) {
    const target = /^\+\+\+ b\/node_modules\/kafkajs\/(.+)$/.exec(line);
    if (target !== null) added.set(target[1], (current = []));
    else if (current !== undefined && line.startsWith('+') && line.slice(1).trim() !== '') current.push(line.slice(1));
  }
  const unpatched: string[] = [];
  for (const [file, lines] of added) {
    const installed = path.join(packageDir, file);
    const present = existsSync(installed) ? new Set(readFileSync(installed, 'utf8').split('\n')) : new Set<string>();
    if (lines.some((l) => !present.has(l))) unpatched.push(file);
  }
  return unpatched;
}

/**
 * Refuses to run on an unpatched kafkajs: `npm ci --ignore-scripts`, or an install without
 * patch-package, leaves it silently unpatched, and with it the read_committed bug the patch fixes.
 */
export function assertKafkajsPatched(patchesDir = PATCHES_DIR): void {
  const kafkajs = installedKafkajs(patchesDir);
  if (!existsSync(kafkajs.patchFile)) {
    throw new LoginStreamError('DEPENDENCY_UNPATCHED', `kafkajs ${kafkajs.version} is installed, but there is no ${kafkajs.patchFile} for it: install the version package-lock.json pins (npm ci)`);
  }
  const unpatched = unpatchedKafkajsFiles(kafkajs);
  if (unpatched.length > 0) {
    throw new LoginStreamError(
      'DEPENDENCY_UNPATCHED',
      `kafkajs ${kafkajs.version} is not patched (${unpatched.join(', ')} lack the changes of ${path.basename(kafkajs.patchFile)}): run \`npx patch-package\` in the repository root, or install with \`npm ci\` without --ignore-scripts`,
      { details: { unpatched } },
    );
  }
}
