import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node flags of a service's `npm start` (`[exec] node <flags> dist/main.js` in its
 * package.json), the one place they are written, so tests and benches run it as users do.
 */
export function startScriptNodeFlags(packageDir: string): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.trim().split(/\s+/);
  const node = words.indexOf('node');
  const script = words.indexOf('dist/main.js');
  if (node < 0 || script < node) throw new Error(`${packageDir}/package.json start is not "[exec] node [flags] dist/main.js": ${scripts.start}`);
  return words.slice(node + 1, script);
}
