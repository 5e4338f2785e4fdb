import { spawn } from 'node:child_process';
import { STOP_GRACE_MS } from './broker-process';

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

export function startWatchdog(brokerPid: number, dir: string): void {
  spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(process.pid), String(brokerPid), String(STOP_GRACE_MS), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

