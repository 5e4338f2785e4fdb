import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Asset {
  readonly contentType: string;
  readonly body: Buffer;
}

const PACKAGE_DIR = path.resolve(__dirname, '../..');

/**
 * Every file the page loads, read once at start: the page, its compiled script and style, and
 * uPlot from node_modules. Served by the dashboard itself, so the page works offline; a fixed
 * table, so no request path ever reaches the file system.
 */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const uplot = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const files: ReadonlyArray<readonly [string, string, string]> = [
    ['/', path.join(PACKAGE_DIR, 'public/index.html'), 'text/html; charset=utf-8'],
    ['/app.css', path.join(PACKAGE_DIR, 'public/app.css'), 'text/css; charset=utf-8'],
    ['/app.js', path.join(PACKAGE_DIR, 'dist/page/app.js'), 'text/javascript; charset=utf-8'],
    ['/vendor/uPlot.iife.min.js', path.join(uplot, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/vendor/uPlot.min.css', path.join(uplot, 'uPlot.min.css'), 'text/css; charset=utf-8'],
  ];
  return new Map(files.map(([route, file, contentType]) => [route, { contentType, body: readFileSync(file) }]));
}
