/**
 * `node probe.js [PATH] [PORT]`: exits 0 when the service in this container answers 200 on PATH
 * (default /readyz) of PORT (default HTTP_PORT), else 1, within 3 s. For docker-compose
 * healthchecks: the image has no curl.
 */
const path = process.argv[2] ?? '/readyz';
const port = Number(process.argv[3] ?? process.env['HTTP_PORT']);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('probe: give the port, or set HTTP_PORT to the one the service listens on\n');
  process.exit(1);
}
fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3_000) }).then(
  async (res) => {
    process.stdout.write(`${res.status} ${await res.text()}`);
    process.exit(res.status === 200 ? 0 : 1);
  },
  (err: unknown) => {
    process.stderr.write(`probe: ${String(err)}\n`);
    process.exit(1);
  },
);
