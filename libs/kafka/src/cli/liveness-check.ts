import { isLive } from '../liveness-file';

/** `node liveness-check.js FILE`: exit 0 while the service keeps FILE fresh, 1 otherwise (a container healthcheck). */
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: liveness-check FILE\n');
  process.exit(2);
}
process.exit(isLive(file) ? 0 : 1);
