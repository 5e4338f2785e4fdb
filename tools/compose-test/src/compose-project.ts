import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

export interface ContainerState {
  readonly service: string;
  readonly status: string;
  readonly health: string | undefined;
  readonly exitCode: number;
}

/**
 * One docker-compose project of the repository's docker-compose.yml under a name of its own,
 * with the environment the test gives it; `down()` removes its containers and volumes.
 */
export class ComposeProject {
  constructor(
    readonly name: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /** `docker-compose <args>` in the repository root; its stdout. */
  async compose(args: readonly string[], timeoutMs = 120_000, env: Readonly<Record<string, string>> = {}): Promise<string> {
    const { stdout } = await run('docker-compose', ['-p', this.name, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...env, COMPOSE_DOCKER_CLI_BUILD: '0' },
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  /** Every container of the project, running or not, with its service, health and exit code. */
  async containers(): Promise<ContainerState[]> {
    const { stdout } = await run('docker', ['ps', '-a', '-q', '--filter', `label=com.docker.compose.project=${this.name}`]);
    const ids = stdout.split('\n').filter((id) => id !== '');
    if (ids.length === 0) return [];
    const format = '{{index .Config.Labels "com.docker.compose.service"}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.State.ExitCode}}';
    const { stdout: states } = await run('docker', ['inspect', '--format', format, ...ids]);
    return states
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [service, status, health, exitCode] = line.split('|');
        return { service, status, health: health === '' ? undefined : health, exitCode: Number(exitCode) };
      });
  }

  async volumes(): Promise<string[]> {
    const { stdout } = await run('docker', ['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${this.name}`]);
    return stdout.split('\n').filter((v) => v !== '');
  }

  async down(): Promise<void> {
    await this.compose(['down', '-v', '--remove-orphans'], 180_000);
  }
}

/** The size of a local image, in bytes. */
export async function imageSize(image: string): Promise<number> {
  const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', image]);
  return Number(stdout.trim());
}
